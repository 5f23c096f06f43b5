namespace Reconciler.Cli.Tests;

/// <summary>Command lines for tests that hand a command to a shell (tmux panes, util-linux's script).</summary>
internal static class Shell
{
    /// <summary>The words as one POSIX shell command line, each single-quoted.</summary>
    public static string CommandLine(IEnumerable<string> words) => string.Join(' ', words.Select(Quote));

    /// <summary>One word single-quoted for a POSIX shell.</summary>
    public static string Quote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
