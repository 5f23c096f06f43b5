using System.CommandLine;
using Reconciler.Cli.Plumbing;
using Reconciler.Core.Schema;

namespace Reconciler.Cli.Commands;

/// <summary><c>reconciler schema --output-dir schemas/</c>: JSON Schemas of every kind for editors (yaml-language-server).</summary>
internal static class SchemaCommand
{
    public static Command Create(CliEnvironment environment) => NativeBuild.HasReflectionCommands
        ? Schema(environment)
        : NativeBuild.Without("schema", "Write a JSON Schema for every kind, for editor completion and checks.", "the schemas of this version are in the source's schemas/, or run the .NET tool package");

    private static Command Schema(CliEnvironment environment)
    {
        var output = new Option<string>("--output-dir")
        {
            Description = "Folder to write {group}/{kind}_{version}.json into (created when missing), as the datreeio CRDs-catalog lays them out.",
            DefaultValueFactory = _ => "schemas",
        };
        output.RefusingStandardStream();
        var command = new Command("schema", """
            Write a JSON Schema for every kind, from the same source as the CRDs, for editor completion and checks.

            Examples:
              reconciler schema --output-dir schemas/
              # then, first line of a manifest file:
              # yaml-language-server: $schema=../schemas/support.reconciler.dev/agent_v1alpha1.json
            """) { output };
        command.SetAction(parse =>
        {
            foreach (var path in FileSet.WriteAll(environment.Resolve(parse.GetValue(output)!), EditorSchemas.GenerateAll()))
                parse.InvocationConfiguration.Output.WriteLine($"wrote {Path.GetRelativePath(environment.WorkingDirectory, path).Replace('\\', '/')}");
            return 0;
        });
        return command;
    }
}
