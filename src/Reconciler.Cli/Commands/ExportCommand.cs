using System.CommandLine;
using Reconciler.Cli.Plumbing;
using Reconciler.Core.Engine;
using Reconciler.Core.Mapping;

namespace Reconciler.Cli.Commands;

/// <summary><c>reconciler export --output-dir DIR</c>: the platform's configuration as manifests, one multi-document file per kind.</summary>
internal static class ExportCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var options = new EngineOptions();
        var directory = new Option<string>("--output-dir") { Description = "Folder to write the manifests to (created if missing; existing files of the same name are replaced, all or none; a symbolic link is followed only to a file inside the folder).", Required = true };
        directory.RefusingStandardStream();
        var command = new Command("export", """
            Write the platform's current configuration as manifests, one file per kind (references by name).

            Examples:
              reconciler export --output-dir exported/
              reconciler export --output-dir exported/ --platform-url https://admin.example.com --token-file token
              reconciler export --output-dir exported/ --platform-url https://admin.example.com -f org/platform-connection.yaml --secrets-dir /run/secrets   # its tokenSecretRef
            """) { directory };
        options.AddConnectionManifestOptionsTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            if (await PlatformObservation.OpenAsync(options, parse, environment, error, cancellationToken) is not { } platform)
                return 1;

            await using (platform)
            {

                var target = environment.Resolve(parse.GetValue(directory)!);
                var resources = Exporter.Export(platform.Observed);
                var files = new FileSet(target);
                foreach (var group in resources.GroupBy(r => r.Kind))
                    files.Add(Path.Combine(target, ManifestWriter.FileNameOf(group.Key)), ManifestWriter.ToYaml(group));
                files.Write(cancellationToken);
                await parse.InvocationConfiguration.Output.WriteLineAsync($"Exported {resources.Count} resources to {parse.GetValue(directory)}.");
                // Every kind's references, as planning resolves them: the platform returns none of their values.
                var secrets = resources.SelectMany(r => KindMappers.For(r).SecretReferences(r)).Distinct().ToList();
                if (secrets.Count > 0)
                    await error.WriteLineAsync($"note: secrets are write-only on the platform; provide them as {string.Join(", ", secrets.Select(CliSecretResolver.VariableName))} (or files <--secrets-dir>/<name>/<key>) before planning.");
                return 0;
            }
        });
        return command;
    }
}
