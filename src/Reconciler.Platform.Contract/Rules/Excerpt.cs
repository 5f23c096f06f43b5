namespace Reconciler.Platform.Contract.Rules;

/// <summary>
/// Text from a manifest or a request as a message repeats it: one line, at most <see cref="MaxLength"/> characters.
/// A value may be a megabyte and an alias may repeat it in hundreds of messages; a message needs only enough of it to
/// be recognised, so its size stays independent of the input's.
/// </summary>
public static class Excerpt
{
    public const int MaxLength = 80;

    private const string Cut = "...";

    public static string Of(string value, int maxLength = MaxLength)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, Cut.Length + 2);
        if (value.Length <= maxLength)
            return value.ReplaceLineEndings(" ");
        var keep = maxLength - Cut.Length;
        // Half a surrogate pair is no character at all: JSON and XML writers escape it or refuse it.
        if (char.IsHighSurrogate(value[keep - 1]))
            keep--;
        // Cut before replacing line endings: replacing first would copy all of a huge value.
        return string.Concat(value.AsSpan(0, keep), Cut).ReplaceLineEndings(" ");
    }

    /// <summary>The excerpt in double quotes, as messages show a value: <c>"abc" is not …</c>.</summary>
    public static string Quoted(string value) => $"\"{Of(value)}\"";
}
