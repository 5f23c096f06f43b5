using System.CommandLine;
using Reconciler.Cli.Plumbing;
using Reconciler.Core.Engine;
using Reconciler.Core.Manifests;
using Reconciler.Core.Mapping;
using Reconciler.Core.Resources;
using Reconciler.Core.Validation;

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
            agents.2.yaml no longer needed) is replaced by one that declares nothing; no other file is touched, and an
            object another file of the folder declares (agents import added) is left there, not written again.

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
                var exported = Exporter.Export(platform.Observed);
                var elsewhere = DeclaredElsewhere(target, exported);
                var resources = elsewhere.Count == 0 ? exported : [.. exported.Where(r => !elsewhere.ContainsKey(r.Id))];
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
                if (elsewhere.Count > 0)
                    await error.WriteLineAsync(LeftWhereDeclared(elsewhere, target, parse.GetValue(directory)!));
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
    /// The exported objects another file in <paramref name="folder"/> declares already (same kind and name), each with
    /// that file. Import writes new agents to <c>agents-&lt;group&gt;.yaml</c> (or <c>agents/</c>), and a person may keep
    /// objects in files of their own; written into the kind's file as well, they were declared twice, and every plan of
    /// the folder stopped on the duplicate. They are left where they are declared. What export's own files declare does
    /// not count (it replaces them), and a folder that holds nothing else is not read at all.
    /// </summary>
    private static Dictionary<ResourceId, string> DeclaredElsewhere(string folder, IReadOnlyList<Resource> exported)
    {
        if (!Directory.Exists(folder))
            return [];
        HashSet<string> own;
        try
        {
            if (!Directory.EnumerateFileSystemEntries(folder).Any(path => Directory.Exists(path) || (IsYaml(path) && !IsExportFile(Path.GetFileName(path)))))
                return [];

            // Export's own files as the loader names them once links are followed: one of them may be a link to a file
            // in a subfolder, and the folder itself a link (given as link/), so neither its name nor its folder tells.
            own = Directory.EnumerateFiles(folder).Where(path => IsExportFile(Path.GetFileName(path))).Select(path => RealPaths.Resolve(path) ?? path).ToHashSet(StringComparer.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot read {folder}: {AtomicFile.Reason(e)}; nothing was written", e);
        }

        // The folder read as plan -f reads it (its links followed only while they stay inside it), so that nothing is
        // left to a file plan would not read; what a file declares counts whether or not the rest of it is valid.
        var realFiles = new Dictionary<string, string>(StringComparer.Ordinal);
        var declared = new Dictionary<ResourceId, string>();
        foreach (var resource in ManifestLoader.Load([folder]).Resources)
        {
            if (resource.Source is not { File: var file })
                continue;
            if (!realFiles.TryGetValue(file, out var real))
                realFiles[file] = real = RealPaths.Resolve(file) ?? file;
            if (!own.Contains(real))
                declared.TryAdd(resource.Id, file);
        }

        return exported.Where(r => declared.ContainsKey(r.Id)).ToDictionary(r => r.Id, r => declared[r.Id]);
    }

    /// <summary>Whether plan -f reads the file as a manifest: <c>.yaml</c> or <c>.yml</c> in any case (<c>mine.YAML</c>).</summary>
    private static bool IsYaml(string path) =>
        path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);

    /// <summary>The note that names what was left where it is declared: a few of them, the files relative to the folder.</summary>
    private static string LeftWhereDeclared(Dictionary<ResourceId, string> elsewhere, string folder, string shown)
    {
        const int Named = 5;
        var named = elsewhere.OrderBy(e => e.Value, StringComparer.Ordinal).ThenBy(e => e.Key.ToString(), StringComparer.Ordinal)
            .Take(Named)
            .Select(e => $"{e.Key} ({Path.GetRelativePath(folder, e.Value)})");
        var more = elsewhere.Count > Named ? $" and {elsewhere.Count - Named} more" : "";
        var count = elsewhere.Count == 1 ? "1 object is" : $"{elsewhere.Count} objects are";
        return TerminalText.Printable($"note: {count} declared in other files of {shown} and left there, not written again: {string.Join(", ", named)}{more}; plan -f {shown} shows any difference from the platform.");
    }

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
        try
        {
            return [.. Directory.EnumerateFiles(folder)
                .Select(Path.GetFileName)
                .OfType<string>()
                .Where(name => !written.Contains(name) && IsExportFile(name))
                .Order(StringComparer.Ordinal)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot read {folder}: {AtomicFile.Reason(e)}; nothing was written", e);
        }
    }

    /// <summary>Each kind's export file, and the stem and extension its continuations are named with.</summary>
    private static readonly (string File, string Stem, string Extension)[] ExportFiles = [.. KindMappers.InDependencyOrder
        .Select(c => c.Description.ExportFileName)
        .Select(f => (f, Path.GetFileNameWithoutExtension(f) + ".", Path.GetExtension(f)))];

    /// <summary>Whether <paramref name="name"/> is a file export writes: a kind's file or one of its continuations.</summary>
    private static bool IsExportFile(string name) => ExportFiles.Any(f => name == f.File || IsContinuation(name, f.Stem, f.Extension));

    /// <summary>Whether <paramref name="name"/> is <c>{stem}{part}{extension}</c> with a part export writes: 2 or more, no leading zero.</summary>
    private static bool IsContinuation(string name, string stem, string extension) =>
        name.Length > stem.Length + extension.Length
        && name.StartsWith(stem, StringComparison.Ordinal)
        && name.EndsWith(extension, StringComparison.Ordinal)
        && name[stem.Length..^extension.Length] is [not '0', ..] and var part
        && part.All(char.IsAsciiDigit)
        && part != "1";
}
