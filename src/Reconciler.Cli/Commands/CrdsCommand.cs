using System.CommandLine;
using Reconciler.Cli.Plumbing;
using Reconciler.Core.Schema;

namespace Reconciler.Cli.Commands;

/// <summary><c>reconciler crds --output-dir crds/</c>: writes the CustomResourceDefinitions generated from the resource types.</summary>
internal static class CrdsCommand
{
    private const string Description = "Generate the CustomResourceDefinitions of every kind from the resource types.";

    public static Command Create() => NativeBuild.HasReflectionCommands
        ? Crds()
        : NativeBuild.Without("crds", Description, "the CRDs of this version are in the Helm chart (charts/reconciler/crds) and the source's crds/, or run the .NET tool package");

    private static Command Crds()
    {
        var output = new Option<string>("--output-dir")
        {
            Description = "Directory to write one CRD file per kind into (created when missing).",
            DefaultValueFactory = _ => "crds",
        };
        output.RefusingStandardStream();

        var command = new Command("crds", Description)
        {
            output,
        };

        command.SetAction(parseResult =>
        {
            var directory = parseResult.GetValue(output)!;
            foreach (var path in FileSet.WriteAll(directory, CrdGenerator.GenerateAll()))
                parseResult.InvocationConfiguration.Output.WriteLine($"wrote {path}");
            return 0;
        });

        return command;
    }
}
