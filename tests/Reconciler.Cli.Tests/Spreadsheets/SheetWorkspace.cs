using Microsoft.Extensions.Logging;
using Reconciler.Cli.Plumbing;
using Reconciler.Cli.Tests.Integration;

namespace Reconciler.Cli.Tests.Spreadsheets;

/// <summary>A temporary folder with a copy of the example organisation, and the CLI run in-process in it.</summary>
internal sealed class SheetWorkspace : IDisposable
{
    public SheetWorkspace()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("reconciler-sheets-").FullName;
        Copy(Path.Combine(TestRepository.Root, "examples", "acme-support"), Manifests);
    }

    public string Directory { get; }

    public string Manifests => Path.Combine(Directory, "org");

    public string PathOf(string name) => Path.Combine(Directory, name);

    public async Task<CliRun> RunAsync(params string[] args)
    {
        var environment = new CliEnvironment(_ => null, Directory, IsInteractive: false, logging => logging.ClearProviders());
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await Program.InvokeAsync(Program.Parse(Program.CreateRoot(environment), args), new System.CommandLine.InvocationConfiguration { Output = output, Error = error });
        return new CliRun(exit, output.ToString(), error.ToString(), []);
    }

    /// <summary>Every manifest file's text, to prove that nothing was written.</summary>
    public Dictionary<string, string> Snapshot() =>
        System.IO.Directory.EnumerateFiles(Manifests, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllText);

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A reader may still hold a file; the temp folder is cleaned by the OS.
        }
    }

    private static void Copy(string source, string target)
    {
        System.IO.Directory.CreateDirectory(target);
        foreach (var file in System.IO.Directory.GetFiles(source))
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        foreach (var directory in System.IO.Directory.GetDirectories(source))
            Copy(directory, Path.Combine(target, Path.GetFileName(directory)));
    }
}
