using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Reconciler.Cli.Plumbing;
using Reconciler.Core.Engine;
using Reconciler.Core.Engine.Output;
using Reconciler.Core.Manifests;
using Reconciler.Core.Resources;
using Reconciler.Core.Validation;
using Reconciler.Platform.Contract.Rules;

namespace Reconciler.Cli.Commands;

/// <summary>
/// A plan saved by <c>plan -out FILE</c> for <c>apply FILE</c>, as Terraform's: the plan (as <c>-o json</c> shows it) and
/// what it was computed from: each manifest file's digest, the digest of every observed object version, the options.
/// Apply recomputes the plan from the same inputs and refuses when any of them changed. Secret values are never saved,
/// only salted slow fingerprints of them. The file is input to apply, so it may only name paths inside the working
/// directory, and never chooses the platform: apply takes the URL from its own command line and compares.
/// </summary>
internal sealed record SavedPlan(
    IReadOnlyList<string> Files,
    IReadOnlyDictionary<string, string> ManifestDigests,
    string PlatformDigest,
    string? PlatformUrl,
    string? SecretsDir,
    IReadOnlyDictionary<string, string> SecretFingerprints,
    PlanOptions Options,
    JsonObject Plan)
{
    public const string Kind = "reconciler-saved-plan";

    /// <summary>
    /// The most a saved plan is read for: a plan from empty of agents like the example's takes about 4 KB each (indented
    /// JSON, the impact included), 200 MB at 50,000; this leaves room for twice as many, and a device given by mistake
    /// (<c>apply /dev/zero</c>) is not read until the memory runs out.
    /// </summary>
    private const long MaxBytes = 512L * 1024 * 1024;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Why a plan of these manifests cannot be saved (a path outside the working directory, standard input), else null: asked before planning, so that nothing is computed or printed for a plan that could not be kept.</summary>
    public static string? CannotSave(IReadOnlyList<string> files, string? secretsDir, string workingDirectory) =>
        PathsOf(files, secretsDir, workingDirectory).Problem;

    /// <summary>The saved plan, or why it cannot be saved (see <see cref="CannotSave"/>).</summary>
    public static (SavedPlan? Plan, string? Problem) Create(IReadOnlyList<string> files, IReadOnlyList<Resource> resources, PlannedRun run, string? platformUrl, string? secretsDir, PlanOptions options, string workingDirectory)
    {
        var (relativeFiles, relativeSecrets, problem) = PathsOf(files, secretsDir, workingDirectory);
        if (problem is not null)
            return (null, problem);
        var fingerprints = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var reference in run.Secrets.References)
        {
            if (run.Secrets.Lookup(reference).Value is { } value)
                fingerprints[reference.ToString()] = SecretFingerprint.Create(value);
        }

        return (new SavedPlan(relativeFiles, DigestManifests(resources, workingDirectory), DigestPlatform(run.Observed), platformUrl, relativeSecrets, fingerprints, options, PlanJson.Build(run.Plan, workingDirectory)), null);
    }

    /// <summary>The manifests' and the secrets folder's paths relative to the working directory, as a saved plan names them, or why they cannot be.</summary>
    private static (List<string> Files, string? SecretsDir, string? Problem) PathsOf(IReadOnlyList<string> files, string? secretsDir, string workingDirectory)
    {
        var relativeFiles = new List<string>();
        foreach (var file in files)
        {
            if (file == ManifestLoader.StandardInput)
                return ([], null, "-f - read the manifests from standard input, which apply cannot read again to check them; write them to a file (kustomize build ... > rendered.yaml) and plan that");
            if (Relative(Path.GetFullPath(file, workingDirectory), workingDirectory) is not { } relative)
                return ([], null, $"-f {file} is outside the working directory; a saved plan names only paths inside it");
            relativeFiles.Add(relative);
        }

        string? relativeSecrets = null;
        if (secretsDir is not null && (relativeSecrets = Relative(Path.GetFullPath(secretsDir, workingDirectory), workingDirectory)) is null)
            return ([], null, $"--secrets-dir {secretsDir} is outside the working directory; a saved plan names only paths inside it");
        return (relativeFiles, relativeSecrets, null);
    }

    /// <summary>
    /// <paramref name="path"/> relative to the working directory, with '/' separators, when it is relative, does not
    /// climb out with "..", and its real location (symbolic links followed) is inside the working directory; else null.
    /// </summary>
    public static string? Checked(string path, string workingDirectory) =>
        path.Length == 0 || Path.IsPathRooted(path) || path.Replace('\\', '/').Split('/').Contains("..")
            ? null
            : Relative(Path.GetFullPath(path, workingDirectory), workingDirectory);

    private static string? Relative(string full, string workingDirectory)
    {
        if (RealPaths.Resolve(workingDirectory) is not { } root || RealPaths.Resolve(full) is not { } real || !RealPaths.IsInside(real, root))
            return null;
        return Path.GetRelativePath(Path.GetFullPath(workingDirectory), full).Replace('\\', '/');
    }

    /// <summary>The references whose secret is not the one fingerprinted when the plan was saved (changed, added or gone).</summary>
    public IReadOnlyList<string> SecretChanges(SecretValues now)
    {
        var current = now.References.ToDictionary(r => r.ToString(), r => now.Lookup(r).Value, StringComparer.Ordinal);
        return
        [
            .. SecretFingerprints.Keys.Union(current.Keys).Order(StringComparer.Ordinal)
                .Where(r => current.GetValueOrDefault(r) is not { } value || SecretFingerprints.GetValueOrDefault(r) is not { } label || !SecretFingerprint.Matches(label, value)),
        ];
    }

    /// <summary>SHA-256 of each file a resource came from, by path relative to the working directory.</summary>
    public static SortedDictionary<string, string> DigestManifests(IEnumerable<Resource> resources, string workingDirectory)
    {
        var digests = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in resources.Select(r => r.Source?.File).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            var full = Path.GetFullPath(file, workingDirectory);
            digests[Path.GetRelativePath(workingDirectory, full).Replace('\\', '/')] = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(full)));
        }

        return digests;
    }

    /// <summary>SHA-256 over every observed object's collection, id and version (and the organisation's version): any write on the platform changes it.</summary>
    public static string DigestPlatform(ObservedState observed)
    {
        var text = new StringBuilder();
        foreach (var (collection, objects) in observed.Collections.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            foreach (var o in objects.OrderBy(o => o.Id, StringComparer.Ordinal))
                text.Append(collection).Append('\t').Append(o.Id).Append('\t').Append(o.Version).Append('\n');
        }

        text.Append("organization\t").Append(observed.Organization?.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-").Append('\n');
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    public string ToJson() => new JsonObject
    {
        ["kind"] = Kind,
        ["format_version"] = PlanJson.FormatVersion,
        ["inputs"] = new JsonObject
        {
            ["files"] = new JsonArray([.. Files.Select(f => (JsonNode?)f)]),
            ["manifests"] = new JsonObject([.. ManifestDigests.Select(d => KeyValuePair.Create(d.Key, (JsonNode?)d.Value))]),
            ["platform_digest"] = PlatformDigest,
            ["platform_url"] = PlatformUrl,
            ["secrets_dir"] = SecretsDir,
            ["secret_fingerprints"] = new JsonObject([.. SecretFingerprints.Select(f => KeyValuePair.Create(f.Key, (JsonNode?)f.Value))]),
            ["options"] = new JsonObject
            {
                ["prune"] = Options.Prune,
                ["max_deletes"] = Options.MaxDeletes,
                ["allow_empty_kind"] = Options.AllowEmptyKind,
                ["allow_guards"] = new JsonArray([.. Options.Guards.Allowed.Order(StringComparer.Ordinal).Select(g => (JsonNode?)g)]),
            },
        },
        ["plan"] = Plan.DeepClone(),
    }.ToJsonString(Json) + "\n";

    /// <summary>
    /// Whether a file's first bytes are already no JSON: <c>/dev/zero</c> or <c>/dev/urandom</c> given for a plan is
    /// refused at them rather than read to the limit first (1.6 GB of memory for a one-line error).
    /// </summary>
    private static bool NotJson(ReadOnlySpan<byte> head)
    {
        // A regular file's first read is all of it; its first 64 KiB tell as well, without parsing a large plan twice.
        head = head[..Math.Min(head.Length, 64 * 1024)];
        var reader = new Utf8JsonReader(head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? head[3..] : head, isFinalBlock: false, state: default);
        try
        {
            while (reader.Read())
            {
            }

            return false;
        }
        catch (JsonException)
        {
            return true;
        }
    }

    /// <summary>
    /// The saved plan in <paramref name="path"/> (relative to <paramref name="workingDirectory"/>), or the reason it cannot
    /// be used, naming the file as it was given: the one the user typed, not where it resolved to.
    /// </summary>
    public static (SavedPlan? Plan, string? Problem) Read(string path, string workingDirectory)
    {
        byte[]? bytes;
        try
        {
            bytes = BoundedFile.ReadAllBytes(Path.GetFullPath(path, workingDirectory), MaxBytes, NotJson);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"cannot read the saved plan {path}: {AtomicFile.Reason(e)}");
        }

        if (bytes is null)
            return (null, $"{path} holds more than {MaxBytes / (1024 * 1024)} MiB, more than any saved plan; is it one? (write one with: reconciler plan -f DIR -out {Path.GetFileName(path)})");
        JsonNode? root;
        // An editor's UTF-8 byte order mark is skipped, as File.ReadAllText skipped it; the parser takes none.
        var json = bytes.AsSpan(bytes is [0xEF, 0xBB, 0xBF, ..] ? 3 : 0);
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            // The parser's message is left out: it quotes the file's text, and the file may be anything.
            var (line, column) = JsonErrorPosition.Of(json, e);
            return (null, $"{path} is not a saved plan: not JSON at line {line}, column {column} (write one with: reconciler plan -f DIR -out {Path.GetFileName(path)})");
        }

        if (root is not JsonObject saved || (saved["kind"] as JsonValue)?.TryGetValue<string>(out var kind) != true || kind != Kind || saved["inputs"] is not JsonObject inputs || saved["plan"] is not JsonObject plan)
            return (null, $"{path} is not a saved plan (write one with: reconciler plan -f DIR -out {Path.GetFileName(path)})");
        if (ReadableFormat(saved["format_version"]) is { } formatProblem)
            return (null, $"{path} {formatProblem}, this reconciler reads {PlanJson.FormatVersion} and older {PlanJson.FormatVersion.Split('.')[0]}.x; run plan again");
        try
        {
            var options = Map(inputs["options"], "inputs.options");
            var files = List(inputs["files"], "inputs.files").Select(f => Text(f, "inputs.files[]")).ToList();
            var secretsDir = inputs["secrets_dir"] is { } named ? Text(named, "inputs.secrets_dir") : null;
            foreach (var file in files.Append(secretsDir).OfType<string>())
            {
                if (Checked(file, workingDirectory) is null)
                    return (null, $"{path} names '{file}', which is not a relative path inside the working directory; refusing to read it");
            }

            return (new SavedPlan(
                files,
                Texts(inputs["manifests"], "inputs.manifests"),
                Text(inputs["platform_digest"], "inputs.platform_digest"),
                inputs["platform_url"] is { } url ? Text(url, "inputs.platform_url") : null,
                secretsDir,
                Texts(inputs["secret_fingerprints"], "inputs.secret_fingerprints"),
                new PlanOptions
                {
                    Prune = Flag(options["prune"], "inputs.options.prune"),
                    MaxDeletes = Number(options["max_deletes"], "inputs.options.max_deletes"),
                    AllowEmptyKind = Flag(options["allow_empty_kind"], "inputs.options.allow_empty_kind"),
                    Guards = new Core.Guards.GuardPolicy { Allowed = AllowedGuards(options["allow_guards"]) },
                },
                plan), null);
        }
        catch (FormatException e)
        {
            return (null, $"{path} is not a complete saved plan ({e.Message}); run plan again");
        }
    }

    /// <summary>
    /// Why a saved plan's format cannot be read, or null. A plan from a newer minor may carry what this reconciler would
    /// ignore when it applies (a guard, a dated change), so only this major at this minor or older is applied.
    /// </summary>
    private static string? ReadableFormat(JsonNode? node)
    {
        if (node is not JsonValue value || !value.TryGetValue<string>(out var text))
            return "has no plan format (format_version must be a string such as \"" + PlanJson.FormatVersion + "\")";
        var ours = Version.Parse(PlanJson.FormatVersion);
        return Version.TryParse(text, out var format) && format.Build < 0 && format.Major == ours.Major && format.Minor <= ours.Minor
            ? null
            : $"was saved in plan format {TerminalText.Printable(Excerpt.Quoted(text))}";
    }

    /// <summary>The guards the plan was made with <c>--allow</c> (none in a plan saved before guards existed); an unknown name is not honoured.</summary>
    private static IReadOnlySet<string> AllowedGuards(JsonNode? saved) =>
        Core.Guards.PlanGuards.Parse(saved is null ? [] : List(saved, "inputs.options.allow_guards").Select(n => Text(n, "inputs.options.allow_guards[]"))) is { Unknown: null } parsed
            ? parsed.Names
            : throw new FormatException("inputs.options.allow_guards names an unknown guard");

    // A field that is missing or of another type is named with what it must be, rather than by the .NET cast that failed.
    private static string Text(JsonNode? node, string field) =>
        (node as JsonValue)?.TryGetValue<string>(out var text) == true ? text : throw new FormatException($"{field} must be a string");

    private static bool Flag(JsonNode? node, string field) =>
        (node as JsonValue)?.TryGetValue<bool>(out var flag) == true ? flag : throw new FormatException($"{field} must be true or false");

    private static int Number(JsonNode? node, string field) =>
        (node as JsonValue)?.TryGetValue<int>(out var number) == true ? number : throw new FormatException($"{field} must be a whole number");

    private static JsonArray List(JsonNode? node, string field) => node as JsonArray ?? throw new FormatException($"{field} must be a list");

    private static JsonObject Map(JsonNode? node, string field) => node as JsonObject ?? throw new FormatException($"{field} must be an object");

    private static Dictionary<string, string> Texts(JsonNode? node, string field) =>
        Map(node, field).ToDictionary(p => p.Key, p => Text(p.Value, $"{field}.{p.Key}"), StringComparer.Ordinal);

    /// <summary>What differs between the manifests now and when the plan was saved; empty when nothing does.</summary>
    public IReadOnlyList<string> ManifestChanges(IReadOnlyDictionary<string, string> now) =>
    [
        .. ManifestDigests.Keys.Union(now.Keys).Order(StringComparer.Ordinal)
            .Where(f => ManifestDigests.GetValueOrDefault(f) != now.GetValueOrDefault(f))
            .Select(f => !now.ContainsKey(f) ? $"{f} (no longer has resources)" : !ManifestDigests.ContainsKey(f) ? $"{f} (new)" : $"{f} (changed)"),
    ];
}
