using System.CommandLine;
using Reconciler.Cli.Commands;
using Reconciler.Cli.Engine;

namespace Reconciler.Cli;

/// <summary>Entry point of the <c>reconciler</c> command.</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        try
        {
            return CreateRoot(CliEnvironment.FromProcess()).Parse(args).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("Cancelled; a re-run converges (creates in flight are idempotent).");
            return 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or HttpRequestException)
        {
            // Users get the problem, not a stack trace; RECONCILER_DEBUG=1 shows the full exception.
            Console.Error.WriteLine(Environment.GetEnvironmentVariable("RECONCILER_DEBUG") == "1" ? e.ToString() : $"error: {e.Message}");
            return 1;
        }
    }

    /// <summary>The command tree; tests build it with their own environment and run it in-process.</summary>
    internal static RootCommand CreateRoot(CliEnvironment environment) =>
        new("Reconciler keeps a support platform's organisation configuration in git and makes the platform match it.")
        {
            ValidateCommand.Create(),
            PlanCommand.Create(environment),
            ApplyCommand.Create(environment),
            ExportCommand.Create(environment),
            CrdsCommand.Create(),
            ImportCommand.Create(environment),
            TemplateCommand.Create(environment),
            ReportCommand.Create(environment),
            PlatformServeCommand.Create(),
            OperatorCommand.Create(),
        };
}
