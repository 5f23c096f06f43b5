using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Reconciler.Cli.Tests;

/// <summary>
/// How a process test starts the CLI: the built <c>reconciler.dll</c> under the dotnet host (the JIT build), or the native
/// (Native AOT) executable named by <c>RECONCILER_TEST_NATIVE_CLI</c>, which <c>.ci/run</c> publishes and then runs the
/// process tests against a second time, so the build users download is the build under test.
/// </summary>
internal sealed record CliLaunch(string FileName, IReadOnlyList<string> Prefix)
{
    public const string NativeVariable = "RECONCILER_TEST_NATIVE_CLI";

    /// <summary>The native executable when this run was given one.</summary>
    public static CliLaunch? Native =>
        Environment.GetEnvironmentVariable(NativeVariable) is { Length: > 0 } path ? new CliLaunch(Path.GetFullPath(path), []) : null;

    /// <summary>The build the process tests exercise: the native one when given, else the JIT build.</summary>
    public static CliLaunch UnderTest => Native ?? Jit();

    /// <summary>The JIT build, with <paramref name="hostArguments"/> for the dotnet host before it (<c>exec --runtimeconfig FILE</c>).</summary>
    public static CliLaunch Jit(params string[] hostArguments) => new(CliProcess.DotnetHost, [.. hostArguments, CliProcess.Dll]);

    /// <summary>
    /// The JIT build with <paramref name="switches"/> set in a copy of its runtimeconfig written to <paramref name="directory"/>:
    /// how a test runs it as a build with other feature switches (the native build's) would.
    /// </summary>
    public static CliLaunch JitWith(string directory, IReadOnlyDictionary<string, bool> switches)
    {
        var config = JsonNode.Parse(File.ReadAllText(Path.ChangeExtension(CliProcess.Dll, ".runtimeconfig.json")))!.AsObject();
        var runtime = config["runtimeOptions"]!.AsObject();
        if (runtime["configProperties"] is not JsonObject properties)
            runtime["configProperties"] = properties = [];
        foreach (var (name, value) in switches)
            properties[name] = value;
        var copy = Path.Combine(directory, $"reconciler.{Guid.NewGuid():N}.runtimeconfig.json");
        File.WriteAllText(copy, config.ToJsonString());
        return Jit("exec", "--runtimeconfig", copy);
    }

    /// <summary>
    /// This launch with SIGINT and SIGTERM at their default action (coreutils env): a test host started in the background
    /// of a shell without job control ignores SIGINT, and its children inherit that, as POSIX has it for nohup.
    /// </summary>
    public CliLaunch WithDefaultSignals() => new("env", ["--default-signal=INT,TERM", FileName, .. Prefix]);

    public ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (IEnumerable<string>)[.. Prefix, .. arguments])
            info.ArgumentList.Add(argument);

        // Only the token given to the test's command line or server may authenticate the run.
        info.Environment.Remove("RECONCILER_PLATFORM_TOKEN");
        return info;
    }
}
