using System.Buffers;
using System.Globalization;
using System.Text;
using YamlDotNet.Core;

namespace Reconciler.Core.Manifests;

/// <summary>
/// Reads the block-YAML subset manifests are written in (block mappings and sequences, single-line plain and quoted
/// scalars, single-line flow collections, literal and folded block scalars as mapping values, comments, document markers)
/// with the positions YamlDotNet gives, several times faster than its event parser. Events go to the builder as they are
/// read (a list of them cost 34 MiB and a pass at 10,000 agents). A file holding anything else (anchors, tags, multi-line plain
/// or quoted scalars, directives, tabs, carriage returns, deep nesting...) is refused as a whole: what the builder made of it
/// so far, documents and diagnostics, is taken back, so that it goes through YamlDotNet with exactly today's behaviour and errors.
/// </summary>
internal sealed class BlockYamlReader
{
    // YamlDotNet refuses implicit keys longer than 1024 characters; stay well clear of where its rule applies.
    private const int MaxKeyLength = 1000;

    // Control characters (tab and carriage return included), C1 controls and NEL, Unicode line separators, the BOM and non-characters.
    private static readonly SearchValues<char> Refused = SearchValues.Create(RefusedCharacters());

    /// <summary>
    /// The characters of <see cref="Refused"/>, in loops: LINQ over <see cref="int"/> ranges is the framework's generic
    /// code that ReadyToRun does not hold, about twenty methods compiled at every start for one string.
    /// </summary>
    internal static string RefusedCharacters()
    {
        var refused = new StringBuilder();
        for (var c = '\0'; c < '\x20'; c++)
        {
            if (c != '\n')
                refused.Append(c);
        }

        for (var c = '\x7F'; c <= '\x9F'; c++)
            refused.Append(c);
        return refused.Append("\u2028\u2029\uFEFF\uFFFE\uFFFF").ToString();
    }

    private readonly string _text;
    private readonly int _maxDepth;
    private readonly YamlTreeBuilder _builder;
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private StringBuilder? _unescaped;

    // False once the builder has said to stop: the rest of the file is still read, to refuse it if it leaves the subset.
    private bool _feeding = true;

    // The current content line (neither blank nor only a comment).
    private int _start;
    private int _end;
    private int _line;
    private int _indent;
    private char _marker;
    private bool _eof;

    // Where the search for the next content line resumes.
    private int _next;
    private int _nextLine = 1;

    // The scalar the last Scan* call read.
    private string _value = "";
    private ScalarStyle _style;

    private BlockYamlReader(string text, int maxDepth, YamlTreeBuilder builder)
    {
        _text = text;
        _maxDepth = maxDepth;
        _builder = builder;
        _lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    private enum Kind : byte
    {
        DocumentStart,
        DocumentEnd,
        Scalar,
        SequenceStart,
        MappingStart,
        CollectionEnd,
    }

    /// <summary>
    /// Feeds the file's events to <paramref name="builder"/> if the whole file is inside the subset; false otherwise, the
    /// builder left as it was before (no documents or diagnostics from this file).
    /// </summary>
    public static bool TryRead(string text, ManifestLimits limits, YamlTreeBuilder builder)
    {
        if (!IsPlainText(text))
            return false;
        var checkpoint = builder.Checkpoint();
        if (new BlockYamlReader(text, limits.MaxDepth, builder).ReadStream())
            return true;
        builder.Rollback(checkpoint);
        return false;
    }

    private static bool EndDocument(YamlTreeBuilder builder)
    {
        builder.EndDocument();
        return true;
    }

    private static bool IsPlainText(string text)
    {
        var span = text.AsSpan();
        if (span.ContainsAny(Refused))
            return false;
        for (var i = span.IndexOfAnyInRange('\uD800', '\uDFFF'); i >= 0; i = NextSurrogate(span, i + 2))
        {
            if (!char.IsHighSurrogate(span[i]) || i + 1 == span.Length || !char.IsLowSurrogate(span[i + 1]))
                return false;
        }

        return true;
    }

    private static int NextSurrogate(ReadOnlySpan<char> span, int from) =>
        from >= span.Length ? -1 : span[from..].IndexOfAnyInRange('\uD800', '\uDFFF') is var i and >= 0 ? from + i : -1;

    private bool ReadStream()
    {
        Advance();
        while (!_eof)
        {
            if (_marker == '.')
                return false;
            if (_marker == '-')
            {
                if (!RestIsBlank(_start + 3))
                    return false;
                Add(Kind.DocumentStart, _line, 1);
                Advance();
                if (_eof || _marker != '\0')
                {
                    if (!AddEmptyDocument())
                        return false;
                }
                else if (!Node(_indent, -1, 0))
                    return false;
            }
            else
            {
                Add(Kind.DocumentStart, _line, _indent + 1);
                if (!Node(_indent, -1, 0))
                    return false;
            }

            if (!_eof && _marker == '\0')
                return false;
            Add(Kind.DocumentEnd, _line, 1);
            if (!_eof && _marker == '.')
            {
                if (!RestIsBlank(_start + 3))
                    return false;
                Advance();
                if (!_eof && _marker != '-')
                    return false;
            }
        }

        return true;
    }

    /// <summary>
    /// YamlDotNet puts an empty document's null just after the marker that ends it (after what follows it on its line,
    /// which we leave to YamlDotNet), or one line past the end of the text.
    /// </summary>
    private bool AddEmptyDocument()
    {
        if (!_eof)
        {
            Add(Kind.Scalar, _line, 4, "");
            return _end - _start == 3;
        }

        var breaks = _text.AsSpan().Count('\n');
        Add(Kind.Scalar, breaks + (_text.EndsWith('\n') ? 1 : 2), 2, "");
        return true;
    }

    /// <summary>The block node whose first token is at column <paramref name="column"/> of the current line; lines indented at most <paramref name="parentIndent"/> end it.</summary>
    private bool Node(int column, int parentIndent, int depth)
    {
        var i = _start + column;
        if (IsEntry(i))
            return Sequence(column, depth);
        if (_text[i] is '[' or '{')
            return FlowCollection(i, depth) is var end and >= 0 && RestIsBlank(end) && EndOfLine(parentIndent);

        var stop = ScanBlockScalar(i);
        if (stop < 0)
            return false;
        var j = SkipSpaces(stop);
        if (IsValueIndicator(j))
            return j - i <= MaxKeyLength && Mapping(column, j, depth);
        if (!RestIsBlank(j))
            return false;
        Add(Kind.Scalar, _line, column + 1, _value, _style);
        return EndOfLine(parentIndent);
    }

    /// <summary>A value that fits on its line must not continue on the next: that would be a multi-line scalar.</summary>
    private bool EndOfLine(int parentIndent)
    {
        Advance();
        return _eof || _indent <= parentIndent;
    }

    /// <summary>A block mapping at <paramref name="column"/> whose first key was just scanned, its colon at <paramref name="colon"/>.</summary>
    private bool Mapping(int column, int colon, int depth)
    {
        if (depth >= _maxDepth)
            return false;
        Add(Kind.MappingStart, _line, column + 1);
        while (true)
        {
            Add(Kind.Scalar, _line, column + 1, _value, _style);
            var v = SkipSpaces(colon + 1);
            if (v == _end || _text[v] == '#')
            {
                var (line, after) = (_line, colon - _start + 2);
                Advance();
                if (!_eof && _indent > column)
                {
                    if (!Node(_indent, column, depth + 1))
                        return false;
                }
                else if (!_eof && _indent == column && IsEntry(_start + column))
                {
                    if (!Sequence(column, depth + 1))
                        return false;
                }
                else
                {
                    Add(Kind.Scalar, line, after, "");
                }
            }
            else if (!InlineValue(v, column, depth + 1))
            {
                return false;
            }

            if (_eof || _indent < column)
                break;
            var i = _start + column;
            if (_indent > column || IsEntry(i))
                return false;
            var stop = ScanBlockScalar(i);
            if (stop < 0)
                return false;
            colon = SkipSpaces(stop);
            if (!IsValueIndicator(colon) || colon - i > MaxKeyLength)
                return false;
        }

        Add(Kind.CollectionEnd, _line, 1);
        return true;
    }

    /// <summary>A mapping's value written on the key's line: a scalar, a flow collection or a block scalar's header, nothing after it.</summary>
    private bool InlineValue(int i, int column, int depth)
    {
        if (_text[i] is '[' or '{')
            return FlowCollection(i, depth) is var end and >= 0 && RestIsBlank(end) && EndOfLine(column);
        if (_text[i] is '|' or '>')
            return BlockScalar(i, column);
        var stop = ScanBlockScalar(i);
        if (stop < 0 || !RestIsBlank(stop))
            return false;
        Add(Kind.Scalar, _line, i - _start + 1, _value, _style);
        return EndOfLine(column);
    }

    /// <summary>A block sequence whose first <c>-</c> is at <paramref name="column"/> of the current line.</summary>
    private bool Sequence(int column, int depth)
    {
        if (depth >= _maxDepth)
            return false;
        Add(Kind.SequenceStart, _line, column + 1);
        while (true)
        {
            var v = SkipSpaces(_start + column + 1);
            if (v == _end || _text[v] == '#')
            {
                var line = _line;
                Advance();
                if (!_eof && _indent > column)
                {
                    if (!Node(_indent, column, depth + 1))
                        return false;
                }
                else
                {
                    Add(Kind.Scalar, line, column + 2, "");
                }
            }
            else if (!Node(v - _start, column, depth + 1))
            {
                return false;
            }

            if (_eof || _indent < column)
                break;
            if (_indent > column)
                return false;
            if (!IsEntry(_start + column))
                break;
        }

        Add(Kind.CollectionEnd, _line, 1);
        return true;
    }

    /// <summary>
    /// A literal or folded block scalar (<c>|</c>, <c>&gt;</c>, either with <c>-</c> or <c>+</c> chomping) as the value of the
    /// mapping at <paramref name="column"/>, its indicator at <paramref name="i"/>: its first line sets the indentation, and
    /// its lines are folded and chomped as YamlDotNet's scanner does. An indentation indicator, a blank first line (whose
    /// spaces YamlDotNet weighs against the next line's) and an empty block scalar leave the file to YamlDotNet.
    /// </summary>
    private bool BlockScalar(int i, int column)
    {
        var chomping = i + 1 < _end && _text[i + 1] is '-' or '+' ? _text[i + 1] : ' ';
        if (!RestIsBlank(chomping == ' ' ? i + 1 : i + 2) || _next >= _text.Length)
            return false;
        var indent = Indentation(_next);
        var at = _next + indent;
        if (indent <= column || at == _text.Length || _text[at] == '\n')
            return false;

        var literal = _text[i] == '|';
        var value = _unescaped ??= new StringBuilder();
        value.Clear();
        var (line, leadingBreak, trailingBreaks, leadingBlank) = (_nextLine, false, 0, false);

        // Each turn starts at the first character of a content line, past the indentation.
        while (true)
        {
            var trailingBlank = _text[at] == ' ';
            if (!literal && leadingBreak && !leadingBlank && !trailingBlank)
            {
                if (trailingBreaks == 0)
                    value.Append(' ');
            }
            else if (leadingBreak)
            {
                value.Append('\n');
            }

            value.Append('\n', trailingBreaks);
            trailingBreaks = 0;
            leadingBlank = trailingBlank;
            var end = _text.IndexOf('\n', at) is var lineEnd and >= 0 ? lineEnd : _text.Length;
            value.Append(_text, at, end - at);
            leadingBreak = end < _text.Length;
            (at, line) = (end + 1, line + 1);

            // Lines holding at most the indentation's spaces are breaks; a line indented less, or the end, ends the scalar.
            var spaces = 0;
            while (at < _text.Length)
            {
                spaces = Indentation(at, indent);
                if (at + spaces == _text.Length || _text[at + spaces] != '\n')
                    break;
                trailingBreaks++;
                (at, line) = (at + spaces + 1, line + 1);
            }

            if (at >= _text.Length || spaces < indent || at + spaces == _text.Length)
                break;
            at += spaces;
        }

        if (chomping != '-' && leadingBreak)
            value.Append('\n');
        if (chomping == '+')
            value.Append('\n', trailingBreaks);
        Add(Kind.Scalar, _line, i - _start + 1, value.ToString(), literal ? ScalarStyle.Literal : ScalarStyle.Folded);
        (_next, _nextLine) = (at, line);
        return EndOfLine(column);
    }

    /// <summary>The spaces at <paramref name="start"/>, counting no more than <paramref name="max"/>.</summary>
    private int Indentation(int start, int max = int.MaxValue)
    {
        var i = start;
        while (i < _text.Length && i - start < max && _text[i] == ' ')
            i++;
        return i - start;
    }

    /// <summary>
    /// A flow sequence or mapping closed on its own line, such as <c>[Chat, Search]</c> or <c>{name: sales}</c>, holding
    /// scalars and flow collections, every mapping entry a scalar key with a value; returns the index after it, or -1.
    /// </summary>
    private int FlowCollection(int open, int depth)
    {
        if (depth >= _maxDepth)
            return -1;
        var mapping = _text[open] == '{';
        var close = mapping ? '}' : ']';
        Add(mapping ? Kind.MappingStart : Kind.SequenceStart, _line, open - _start + 1);
        var j = SkipSpaces(open + 1);
        if (j < _end && _text[j] == close)
        {
            Add(Kind.CollectionEnd, _line, 1);
            return j + 1;
        }

        while (true)
        {
            if (mapping)
            {
                var key = j < _end && _text[j] is '"' or '\'' ? ScanQuoted(j) : ScanFlowPlain(j, key: true);
                if (key < 0)
                    return -1;
                Add(Kind.Scalar, _line, j - _start + 1, _value, _style);
                var colon = SkipSpaces(key);
                if (!IsValueIndicator(colon))
                    return -1;
                j = SkipSpaces(colon + 1);
            }

            j = FlowNode(j, depth + 1);
            if (j < 0)
                return -1;
            j = SkipSpaces(j);
            if (j < _end && _text[j] == close)
                break;
            if (j >= _end || _text[j] != ',')
                return -1;
            j = SkipSpaces(j + 1);
            if (j < _end && _text[j] == close)
                return -1;
        }

        Add(Kind.CollectionEnd, _line, 1);
        return j + 1;
    }

    private int FlowNode(int j, int depth)
    {
        if (j >= _end)
            return -1;
        if (_text[j] is '[' or '{')
            return FlowCollection(j, depth);
        var stop = _text[j] is '"' or '\'' ? ScanQuoted(j) : ScanFlowPlain(j, key: false);
        if (stop >= 0)
            Add(Kind.Scalar, _line, j - _start + 1, _value, _style);
        return stop;
    }

    /// <summary>Scans a key or a block-context scalar; returns where it stopped, or -1 outside the subset.</summary>
    private int ScanBlockScalar(int i)
    {
        var c = _text[i];
        if (c is '"' or '\'')
            return ScanQuoted(i);
        if (!CanStartPlain(i))
            return -1;
        var j = i + 1;
        for (; j < _end; j++)
        {
            c = _text[j];
            if ((c == ':' && (j + 1 == _end || _text[j + 1] == ' ')) || (c == '#' && _text[j - 1] == ' '))
                break;

            // YamlDotNet reads "a *b: c" as one scalar when it starts a mapping but as a key after the first.
            if (c == '*' && _text[j - 1] == ' ')
                return -1;
        }

        SetPlain(i, j);
        return j;
    }

    /// <summary>A plain scalar inside a flow collection; a key ends at <c>": "</c>, and any other colon leaves the file to YamlDotNet.</summary>
    private int ScanFlowPlain(int i, bool key)
    {
        if (i >= _end || !CanStartPlain(i))
            return -1;
        var j = i + 1;
        for (; j < _end; j++)
        {
            var c = _text[j];
            if (c == ':' && key && IsValueIndicator(j))
                break;
            if (c == ':')
                return -1;
            if (c is ',' or '[' or ']' or '{' or '}' || (c == '#' && _text[j - 1] == ' '))
                break;
        }

        SetPlain(i, j);
        return j;
    }

    /// <summary>Indicators may not start a plain scalar; <c>-</c> may only when a letter or digit follows (<c>-1</c>).</summary>
    private bool CanStartPlain(int i) => _text[i] switch
    {
        '-' => i + 1 < _end && char.IsAsciiLetterOrDigit(_text[i + 1]),
        '?' or ':' or ',' or '[' or ']' or '{' or '}' or '#' or '&' or '*' or '!' or '|' or '>' or '\'' or '"' or '%' or '@' or '`' => false,
        _ => true,
    };

    private void SetPlain(int i, int stop)
    {
        while (_text[stop - 1] == ' ')
            stop--;
        _value = Intern(_text.AsSpan(i, stop - i));
        _style = ScalarStyle.Plain;
    }

    /// <summary>A single- or double-quoted scalar closed on its line; returns the index after the closing quote, or -1.</summary>
    private int ScanQuoted(int i)
    {
        var quote = _text[i];
        var special = quote == '"' ? "\"\\" : "'";
        var body = _text.AsSpan(i + 1, _end - i - 1);
        var run = body.IndexOfAny(special);
        if (run < 0)
            return -1;
        _style = quote == '"' ? ScalarStyle.DoubleQuoted : ScalarStyle.SingleQuoted;
        if (body[run] == quote && (quote == '"' || run + 1 == body.Length || body[run + 1] != '\''))
        {
            _value = Intern(body[..run]);
            return i + 2 + run;
        }

        var text = _unescaped ??= new StringBuilder();
        text.Clear();
        var j = i + 1;
        while (true)
        {
            if (j >= _end)
                return -1;
            var c = _text[j];
            if (c == quote && quote == '\'')
            {
                if (j + 1 < _end && _text[j + 1] == '\'')
                {
                    text.Append('\'');
                    j += 2;
                    continue;
                }

                break;
            }

            if (c == quote)
                break;
            if (c == '\\' && quote == '"')
            {
                j = Unescape(j + 1, text);
                if (j < 0)
                    return -1;
                continue;
            }

            text.Append(c);
            j++;
        }

        _value = text.ToString();
        return j + 1;
    }

    /// <summary>
    /// Appends the YAML 1.2 escape at <paramref name="j"/> (after the backslash); returns the index after it, or -1 (also
    /// for <c>\/</c>, which YamlTreeReader refuses with a reason, since go-yaml cannot read it).
    /// </summary>
    private int Unescape(int j, StringBuilder text)
    {
        if (j >= _end)
            return -1;
        var simple = _text[j] switch
        {
            '0' => '\0',
            'a' => '\a',
            'b' => '\b',
            't' => '\t',
            'n' => '\n',
            'v' => '\v',
            'f' => '\f',
            'r' => '\r',
            'e' => '\u001B',
            ' ' => ' ',
            '"' => '"',
            '\\' => '\\',
            'N' => '\u0085',
            '_' => '\u00A0',
            'L' => '\u2028',
            'P' => '\u2029',
            _ => (char?)null,
        };
        if (simple is { } c)
        {
            text.Append(c);
            return j + 1;
        }

        var digits = _text[j] switch { 'x' => 2, 'u' => 4, 'U' => 8, _ => 0 };
        if (digits == 0 || j + 1 + digits > _end
            || !int.TryParse(_text.AsSpan(j + 1, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code)
            || code is < 0 or > 0x10FFFF or (>= 0xD800 and <= 0xDFFF))
            return -1;
        text.Append(char.ConvertFromUtf32(code));
        return j + 1 + digits;
    }

    private string Intern(ReadOnlySpan<char> span)
    {
        if (_lookup.TryGetValue(span, out var known))
            return known;
        var text = span.ToString();
        _strings[text] = text;
        return text;
    }

    private bool IsEntry(int i) => _text[i] == '-' && (i + 1 == _end || _text[i + 1] == ' ');

    private bool IsValueIndicator(int i) => i < _end && _text[i] == ':' && (i + 1 == _end || _text[i + 1] == ' ');

    private int SkipSpaces(int i)
    {
        while (i < _end && _text[i] == ' ')
            i++;
        return i;
    }

    private bool RestIsBlank(int i)
    {
        var j = SkipSpaces(i);
        return j == _end || (_text[j] == '#' && _text[j - 1] == ' ');
    }

    /// <summary>Moves to the next line holding content; document markers get indent -1 so that they end every node.</summary>
    private void Advance()
    {
        while (_next <= _text.Length)
        {
            var start = _next;
            var end = _text.IndexOf('\n', start);
            if (end < 0)
                end = _text.Length;
            var line = _nextLine;
            _next = end + 1;
            _nextLine++;
            var i = start;
            while (i < end && _text[i] == ' ')
                i++;
            if (i == end || _text[i] == '#')
                continue;

            (_start, _end, _line, _indent) = (start, end, line, i - start);
            _marker = i == start && end - start >= 3 && (end - start == 3 || _text[start + 3] == ' ')
                && _text.AsSpan(start, 3) is "---" or "..." ? _text[start] : '\0';
            if (_marker != '\0')
                _indent = -1;
            return;
        }

        _eof = true;
    }

    private void Add(Kind kind, int line, int column, string? value = null, ScalarStyle style = ScalarStyle.Plain)
    {
        if (!_feeding)
            return;
        _feeding = kind switch
        {
            Kind.DocumentStart => _builder.StartDocument(new TextPosition(line, column)),
            Kind.Scalar => _builder.Scalar(new TextPosition(line, column), value!, style, ScalarTag.None, null),
            Kind.SequenceStart or Kind.MappingStart => _builder.StartCollection(new TextPosition(line, column), kind == Kind.MappingStart, null),
            Kind.CollectionEnd => _builder.EndCollection(),
            _ => EndDocument(_builder),
        };
    }
}
