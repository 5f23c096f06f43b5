using System.CommandLine;
using Reconciler.Cli.Plumbing;
using Reconciler.Core.Engine;
using Reconciler.Core.Manifests;
using Reconciler.Core.Mapping;

namespace Reconciler.Cli.Commands;

/// <summary><c>reconciler export --output-dir DIR</c>: the platform's configuration as manifests, one multi-document file per kind, continued in <c>agents.2.yaml</c>, … where it would not fit the loader's limits.</summary>
internal static class ExportCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var options = new EngineOptions();
        var directory = new Option<string>("--output-dir") { Description = "Folder to write the manifests to (created if missing; existing files of the same name are replaced, all or none; a symbolic link is followed only to a file inside the folder).", Required = true };
        directory.RefusingStandardStream();
        var command = new Command("export", """
            Write the platform's current configuration as manifests, one file per kind (references by name); a kind
            beyond what one file may hold (10,000 documents, 5 MiB) continues in agents.2.yaml, agents.3.yaml, ….
            A file of an earlier export that this one does not write (agents.yaml once no agent is left, an
            agents.2.yaml no longer needed) is replaced by one that declares nothing; no other file is touched.

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
                var written = new HashSet<string>(StringComparer.Ordinal);
                foreach (var group in resources.GroupBy(r => r.Kind))
                {
                    foreach (var (file, text) in ManifestWriter.ToFiles(ManifestWriter.FileNameOf(group.Key), group, ManifestLimits.Default))
                    {
                        files.Add(Path.Combine(target, file), text);
                        written.Add(file);
                    }
                }

                foreach (var stale in StaleFiles(target, written))
                    files.Add(Path.Combine(target, stale), Emptied);
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

    private const string Emptied =
        "# Emptied by `reconciler export`: the platform's objects of this kind now fit in fewer files (or there are none),\n" +
        "# and an earlier export's file would declare them twice (or declare deleted ones again). Safe to delete.\n";

    /// <summary>
    /// Files of an earlier export in <paramref name="folder"/> that this one does not write: a kind's file when the
    /// platform now has none of it (<c>agents.yaml</c> would declare deleted agents, and a plan recreate them), and
    /// an earlier, larger export's continuations (<c>agents.2.yaml</c>, …), which would declare objects a second time.
    /// Export replaces the files it names and removes none, so they are replaced too, with a file that declares nothing.
    /// </summary>
    private static IEnumerable<string> StaleFiles(string folder, HashSet<string> written)
    {
        if (!Directory.Exists(folder))
            return [];
        var files = KindMappers.InDependencyOrder
            .Select(c => c.Description.ExportFileName)
            .Select(f => (File: f, Stem: Path.GetFileNameWithoutExtension(f) + ".", Extension: Path.GetExtension(f)))
            .ToList();
        try
        {
            return [.. Directory.EnumerateFiles(folder)
                .Select(Path.GetFileName)
                .OfType<string>()
                .Where(name => !written.Contains(name) && files.Any(f => name == f.File || IsContinuation(name, f.Stem, f.Extension)))
                .Order(StringComparer.Ordinal)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot read {folder}: {AtomicFile.Reason(e)}; nothing was written", e);
        }
    }

    /// <summary>Whether <paramref name="name"/> is <c>{stem}{part}{extension}</c> with a part export writes: 2 or more, no leading zero.</summary>
    private static bool IsContinuation(string name, string stem, string extension) =>
        name.Length > stem.Length + extension.Length
        && name.StartsWith(stem, StringComparison.Ordinal)
        && name.EndsWith(extension, StringComparison.Ordinal)
        && name[stem.Length..^extension.Length] is [not '0', ..] and var part
        && part.All(char.IsAsciiDigit)
        && part != "1";
}
