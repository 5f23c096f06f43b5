using System.CommandLine;
using System.Diagnostics.CodeAnalysis;

namespace Reconciler.Cli.Plumbing;

/// <summary>
/// The native (Native AOT) build of the CLI leaves out the commands whose libraries need run-time reflection or code:
/// <c>operator</c> (the Kubernetes client's watches and leader election need the reflection serializer;
/// kubernetes-client/csharp#1498 lists them as unsupported in KubernetesClient.Aot) and <c>crds</c> and <c>schema</c>
/// (NJsonSchema reflects over the model). The JIT build — the .NET tool package and the container image — has them all.
/// The switch is fixed when the native build is compiled, so what it leaves out is not in the executable at all.
/// </summary>
internal static class NativeBuild
{
    private const string ReflectionCommandsSwitch = "Reconciler.Cli.ReflectionCommands.IsSupported";

    [FeatureSwitchDefinition(ReflectionCommandsSwitch)]
    public static bool HasReflectionCommands => !AppContext.TryGetSwitch(ReflectionCommandsSwitch, out var supported) || supported;

    /// <summary>What stands in for command <paramref name="name"/> in the native build: it says what to run instead, and fails.</summary>
    public static Command Without(string name, string description, string instead)
    {
        // Any options are taken, so that what the full build accepts is answered with what to run instead; --help says it too.
        var command = new Command(name, $"{description}\nNot in this native build: {instead}.") { TreatUnmatchedTokensAsErrors = false };
        command.SetAction(parseResult =>
        {
            parseResult.InvocationConfiguration.Error.WriteLine($"error: this native build of reconciler does not include '{name}'; {instead}.");
            return 1;
        });
        return command;
    }
}
