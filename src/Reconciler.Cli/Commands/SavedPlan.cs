using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Reconciler.Core.Engine;
using Reconciler.Core.Engine.Output;
using Reconciler.Core.Resources;

namespace Reconciler.Cli.Commands;

/// <summary>
/// A plan saved by <c>plan -out FILE</c> for <c>apply FILE</c>, as Terraform's: the plan (as <c>-o json</c> shows it) and
/// what it was computed from: each manifest file's digest, the digest of every observed object version, the options.
/// Apply recomputes the plan from the same inputs and refuses when any of them changed. Secret values are never saved.
/// </summary>
internal sealed record SavedPlan(
    IReadOnlyList<string> Files,
    IReadOnlyDictionary<string, string> ManifestDigests,
    string PlatformDigest,
    string? PlatformUrl,
    string? SecretsDir,
    PlanOptions Options,
    JsonObject Plan)
{
    public const string Kind = "reconciler-saved-plan";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static SavedPlan Create(IReadOnlyList<string> files, IReadOnlyList<Resource> resources, PlannedRun run, string? platformUrl, string? secretsDir, PlanOptions options, string workingDirectory) => new(
        files,
        DigestManifests(resources, workingDirectory),
        DigestPlatform(run.Observed),
        platformUrl,
        secretsDir,
        options,
        PlanJson.Build(run.Plan));

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
            ["options"] = new JsonObject
            {
                ["prune"] = Options.Prune,
                ["max_deletes"] = Options.MaxDeletes,
                ["allow_empty_kind"] = Options.AllowEmptyKind,
            },
        },
        ["plan"] = Plan.DeepClone(),
    }.ToJsonString(Json) + "\n";

    /// <summary>The saved plan in <paramref name="path"/>, or the reason it cannot be used.</summary>
    public static (SavedPlan? Plan, string? Problem) Read(string path)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            return (null, $"{path} is not a saved plan (not JSON: {e.Message})");
        }

        if (root?["kind"]?.GetValueKind() != JsonValueKind.String || root["kind"]!.GetValue<string>() != Kind || root["inputs"] is not JsonObject inputs || root["plan"] is not JsonObject plan)
            return (null, $"{path} is not a saved plan (write one with: reconciler plan -f DIR -out {Path.GetFileName(path)})");
        if (root["format_version"]?.ToString() is not { } version || version.Split('.')[0] != PlanJson.FormatVersion.Split('.')[0])
            return (null, $"{path} was saved in plan format {root["format_version"]}, this reconciler reads {PlanJson.FormatVersion}; run plan again");
        try
        {
            var options = inputs["options"]!;
            return (new SavedPlan(
                [.. inputs["files"]!.AsArray().Select(f => f!.GetValue<string>())],
                inputs["manifests"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.Ordinal),
                inputs["platform_digest"]!.GetValue<string>(),
                inputs["platform_url"]?.GetValue<string>(),
                inputs["secrets_dir"]?.GetValue<string>(),
                new PlanOptions
                {
                    Prune = options["prune"]!.GetValue<bool>(),
                    MaxDeletes = options["max_deletes"]!.GetValue<int>(),
                    AllowEmptyKind = options["allow_empty_kind"]!.GetValue<bool>(),
                },
                plan), null);
        }
        catch (Exception e) when (e is InvalidOperationException or NullReferenceException or FormatException)
        {
            return (null, $"{path} is not a complete saved plan ({e.Message}); run plan again");
        }
    }

    /// <summary>What differs between the manifests now and when the plan was saved; empty when nothing does.</summary>
    public IReadOnlyList<string> ManifestChanges(IReadOnlyDictionary<string, string> now) =>
    [
        .. ManifestDigests.Keys.Union(now.Keys).Order(StringComparer.Ordinal)
            .Where(f => ManifestDigests.GetValueOrDefault(f) != now.GetValueOrDefault(f))
            .Select(f => !now.ContainsKey(f) ? $"{f} (no longer has resources)" : !ManifestDigests.ContainsKey(f) ? $"{f} (new)" : $"{f} (changed)"),
    ];
}
