using System.CommandLine;
using Reconciler.Core.Schema;

namespace Reconciler.Cli.Commands;

/// <summary><c>reconciler crds --output-dir crds/</c>: writes the CustomResourceDefinitions generated from the resource types.</summary>
internal static class CrdsCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--output-dir")
        {
            Description = "Directory to write one CRD file per kind into (created when missing).",
            DefaultValueFactory = _ => "crds",
        };

        var command = new Command("crds", "Generate the CustomResourceDefinitions of every kind from the resource types.")
        {
            output,
        };

        command.SetAction(parseResult =>
        {
            var directory = parseResult.GetValue(output)!;
            foreach (var path in CrdGenerator.WriteAll(directory))
                parseResult.InvocationConfiguration.Output.WriteLine($"wrote {path}");
            return 0;
        });

        return command;
    }
}
