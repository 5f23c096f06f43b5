using System.Globalization;
using System.Text;

namespace Reconciler.Core.Engine;

/// <summary>
/// Masks secrets in text the platform wrote (an error answering a request that carried them, a channel's connection
/// report from its provider), which goes on to a terminal, CI logs, a resource's status and Events. The platform quotes a secret as its own software writes it: escaped for JSON by another serializer
/// (<c>\"</c>, <c>\/</c>, <c>\u00e9</c>), URL- or form-encoded, in base64 (an HTTP Basic header), cut short, or trimmed of
/// its spaces. So the answer is also read with JSON escapes and percent-encoding decoded, a secret is also looked for in
/// base64 at each of its three alignments, and any run of <see cref="Run"/> characters of a secret's form counts as the
/// secret.
/// </summary>
public sealed class SecretMask
{
    public const string Mask = "(sensitive value)";

    /// <summary>
    /// How many characters of a secret a run must share to be masked. Shorter runs are common text: masking each would
    /// turn the message into masks, and where the masks stood would spell the secret out.
    /// </summary>
    public const int Run = 8;

    private readonly HashSet<string> _runs = new(StringComparer.Ordinal);

    // Secrets shorter than a run: masked only where they stand alone, not inside a word.
    private readonly List<string> _short = [];

    public SecretMask(IEnumerable<string> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        foreach (var secret in secrets)
        {
            if (secret.Length == 0)
                continue;
            if (secret.Length < Run)
                _short.Add(secret);
            foreach (var form in Forms(secret))
            {
                for (var i = 0; i + Run <= form.Length; i++)
                    _runs.Add(form.Substring(i, Run));
            }
        }
    }

    public string Apply(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (_runs.Count == 0 && _short.Count == 0)
            return text;
        var masked = new bool[text.Length];
        var any = false;
        foreach (var view in Views(text))
            any |= Mark(view, masked);
        if (!any)
            return text;

        var shown = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (!masked[i])
                shown.Append(text[i]);
            else if (i == 0 || !masked[i - 1])
                shown.Append(Mask);
        }

        return shown.ToString();
    }

    /// <summary>Marks in <paramref name="masked"/> the original characters that the secrets' runs, or a short secret standing alone, cover in <paramref name="view"/>.</summary>
    private bool Mark(View view, bool[] masked)
    {
        var any = false;
        var runs = _runs.GetAlternateLookup<ReadOnlySpan<char>>();
        for (var i = 0; i + Run <= view.Text.Length; i++)
        {
            if (runs.Contains(view.Text.AsSpan(i, Run)))
                any |= view.Mark(i, i + Run, masked);
        }

        foreach (var secret in _short)
        {
            for (var at = view.Text.IndexOf(secret, StringComparison.Ordinal); at >= 0; at = view.Text.IndexOf(secret, at + 1, StringComparison.Ordinal))
            {
                var end = at + secret.Length;
                if ((at == 0 || !char.IsLetterOrDigit(view.Text[at - 1])) && (end == view.Text.Length || !char.IsLetterOrDigit(view.Text[end])))
                    any |= view.Mark(at, end, masked);
            }
        }

        return any;
    }

    /// <summary>The secret as sent, and in base64 the characters that hold only its bytes, whatever precedes it in the encoded text.</summary>
    private static IEnumerable<string> Forms(string secret)
    {
        yield return secret;
        var bytes = Encoding.UTF8.GetBytes(secret);
        for (var offset = 0; offset < 3; offset++)
        {
            var padded = new byte[offset + bytes.Length];
            bytes.CopyTo(padded, offset);
            var encoded = Convert.ToBase64String(padded);
            var first = (offset * 8 + 5) / 6;
            var last = (offset + bytes.Length) * 8 / 6;
            if (last - first < Run)
                continue;
            var inner = encoded[first..last];
            yield return inner;
            yield return inner.Replace('+', '-').Replace('/', '_');
        }
    }

    /// <summary>The text as it is, with JSON's escapes decoded, and with percent-encoding decoded (<c>+</c> as a space, and as itself).</summary>
    private static IEnumerable<View> Views(string text)
    {
        yield return View.Of(text);
        if (text.Contains('\\', StringComparison.Ordinal))
            yield return JsonUnescaped(text);
        if (text.Contains('%', StringComparison.Ordinal) || text.Contains('+', StringComparison.Ordinal))
        {
            yield return PercentDecoded(text, plusIsSpace: true);
            yield return PercentDecoded(text, plusIsSpace: false);
        }
    }

    private static View JsonUnescaped(string text)
    {
        var view = new View.Builder(text.Length);
        for (var i = 0; i < text.Length;)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                var escaped = text[i + 1] switch
                {
                    '"' or '\\' or '/' or '\'' => text[i + 1],
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    'b' => '\b',
                    'f' => '\f',
                    _ => (char?)null,
                };
                if (escaped is { } c)
                {
                    view.Add(c, i, i + 2);
                    i += 2;
                    continue;
                }

                if (text[i + 1] == 'u' && i + 6 <= text.Length && ushort.TryParse(text.AsSpan(i + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                {
                    view.Add((char)code, i, i + 6);
                    i += 6;
                    continue;
                }
            }

            view.Add(text[i], i, i + 1);
            i++;
        }

        return view.Build();
    }

    private static View PercentDecoded(string text, bool plusIsSpace)
    {
        var view = new View.Builder(text.Length);
        var bytes = new List<byte>();
        for (var i = 0; i < text.Length;)
        {
            if (IsPercentByte(text, i))
            {
                // A run of escaped bytes is decoded as one piece of UTF-8; each character of it stands for the whole run.
                var start = i;
                bytes.Clear();
                while (IsPercentByte(text, i))
                {
                    bytes.Add(byte.Parse(text.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
                    i += 3;
                }

                foreach (var c in Encoding.UTF8.GetString([.. bytes]))
                    view.Add(c, start, i);
                continue;
            }

            view.Add(plusIsSpace && text[i] == '+' ? ' ' : text[i], i, i + 1);
            i++;
        }

        return view.Build();
    }

    private static bool IsPercentByte(string text, int at) =>
        at + 3 <= text.Length && text[at] == '%' && char.IsAsciiHexDigit(text[at + 1]) && char.IsAsciiHexDigit(text[at + 2]);

    /// <summary>The text as decoded one way, each of its characters with the range of the original text it was decoded from.</summary>
    private sealed class View(string text, int[] starts, int[] ends)
    {
        public string Text => text;

        public static View Of(string text) =>
            new(text, [.. Enumerable.Range(0, text.Length)], [.. Enumerable.Range(1, text.Length)]);

        /// <summary>Marks the original characters that decoded characters <paramref name="from"/> to <paramref name="to"/> came from.</summary>
        public bool Mark(int from, int to, bool[] masked)
        {
            Array.Fill(masked, true, starts[from], ends[to - 1] - starts[from]);
            return true;
        }

        public sealed class Builder(int capacity)
        {
            private readonly StringBuilder _text = new(capacity);
            private readonly List<int> _starts = new(capacity);
            private readonly List<int> _ends = new(capacity);

            public void Add(char c, int start, int end)
            {
                _text.Append(c);
                _starts.Add(start);
                _ends.Add(end);
            }

            public View Build() => new(_text.ToString(), [.. _starts], [.. _ends]);
        }
    }
}
