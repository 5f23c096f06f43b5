using System.Buffers;

namespace Reconciler.Cli.Plumbing;

/// <summary>
/// Words of a command the CLI suggests, as a POSIX shell reads them back: the suggestion is pasted into a shell, where a
/// space, a quote, a <c>;</c> or a <c>$(…)</c> in a file name or URL would make it another command.
/// </summary>
internal static class ShellWord
{
    // Characters no POSIX shell gives a meaning to inside a word, so a word of them alone is left as it is.
    private static readonly SearchValues<char> Plain = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_@%+=:,./-");

    /// <summary>
    /// The word as it is when the shell reads it so, else in single quotes (a quote inside written <c>'\''</c>). A word that
    /// starts with <c>=</c> is quoted too: zsh, the default shell of macOS, reads <c>=name</c> as the path of a command.
    /// </summary>
    public static string Quote(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        return word.Length > 0 && word[0] != '=' && !word.AsSpan().ContainsAnyExcept(Plain)
            ? word
            : "'" + word.Replace("'", @"'\''", StringComparison.Ordinal) + "'";
    }

    /// <summary>A file given as an argument: quoted, and led by <c>./</c> when it starts with a dash, which would read as an option.</summary>
    public static string File(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Quote(path.StartsWith('-') ? "./" + path : path);
    }
}
