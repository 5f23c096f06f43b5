using System.CommandLine;
using Reconciler.Cli.Plumbing;

namespace Reconciler.Cli.Tests;

/// <summary>The CLI run in-process through the entry point's parse and invoke, with no environment variables and no terminal.</summary>
internal static class InProcessCli
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        var environment = new CliEnvironment(_ => null, Directory.GetCurrentDirectory(), IsInteractive: false, _ => { });
        var (output, error) = (new StringWriter(), new StringWriter());
        var exitCode = await Program.InvokeAsync(Program.Parse(Program.CreateRoot(environment), args), new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString(), error.ToString());
    }
}
