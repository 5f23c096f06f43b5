using System.CommandLine;

namespace Reconciler.Cli.Commands;

/// <summary>Options every command takes.</summary>
internal static class GlobalOptions
{
    /// <summary>No ANSI colour, also when at a terminal (NO_COLOR and TERM=dumb do the same).</summary>
    public static Option<bool> NoColor { get; } = new("--no-color") { Description = "Print without colour (also when NO_COLOR is set or TERM=dumb).", Recursive = true };
}
