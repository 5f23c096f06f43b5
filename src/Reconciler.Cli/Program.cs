using System.CommandLine;
using Reconciler.Cli.Commands;

namespace Reconciler.Cli;

/// <summary>Entry point of the <c>reconciler</c> command.</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        var root = new RootCommand("Reconciler keeps a support platform's organisation configuration in git and makes the platform match it.")
        {
            ValidateCommand.Create(),
            CrdsCommand.Create(),
        };
        return root.Parse(args).Invoke();
    }
}
