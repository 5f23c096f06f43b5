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

                foreach (var stale in StaleContinuations(target, written))
                    files.Add(Path.Combine(target, stale), EmptiedContinuation);
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

    private const string EmptiedContinuation =
        "# Emptied by `reconciler export`: the platform's objects of this kind now fit in fewer files, and an earlier export's\n" +
        "# continuation would declare them twice. Safe to delete.\n";

    /// <summary>
    /// Continuation files (<c>agents.2.yaml</c>, …) in <paramref name="folder"/> that this export does not write: an
    /// earlier, larger export's, which would declare its objects a second time beside the new files. Export replaces
    /// the files it names and removes none, so they are replaced too, with a file that declares nothing.
    /// </summary>
    private static IEnumerable<string> StaleContinuations(string folder, HashSet<string> written)
    {
        if (!Directory.Exists(folder))
            return [];
        var continuations = KindMappers.InDependencyOrder
            .Select(c => c.Description.ExportFileName)
            .Select(f => (Stem: Path.GetFileNameWithoutExtension(f) + ".", Extension: Path.GetExtension(f)))
            .ToList();
        try
        {
            return [.. Directory.EnumerateFiles(folder)
                .Select(Path.GetFileName)
                .OfType<string>()
                .Where(name => !written.Contains(name) && continuations.Any(c => IsContinuation(name, c.Stem, c.Extension)))
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
