using System.CommandLine;
using Reconciler.Cli.Commands;
using Reconciler.Cli.Engine;

namespace Reconciler.Cli;

/// <summary>Entry point of the <c>reconciler</c> command.</summary>
internal static class Program
{
    private static int Main(string[] args) => CreateRoot(CliEnvironment.FromProcess()).Parse(args).Invoke();

    /// <summary>The command tree; tests build it with their own environment and run it in-process.</summary>
    internal static RootCommand CreateRoot(CliEnvironment environment) =>
        new("Reconciler keeps a support platform's organisation configuration in git and makes the platform match it.")
        {
            ValidateCommand.Create(),
            PlanCommand.Create(environment),
            ApplyCommand.Create(environment),
            ExportCommand.Create(environment),
            CrdsCommand.Create(),
            OperatorCommand.Create(),
        };
}
