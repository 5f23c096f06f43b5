using Reconciler.Platform.Contract.Rules;

namespace Reconciler.Core.Manifests;

/// <summary>
/// YAML 1.1 merge keys (<c>&lt;&lt;: *defaults</c>), which kubectl accepts: the merged mappings' keys are added
/// unless the mapping sets them itself, and of several merged mappings the earlier one wins; a merge that would override
/// a key set above it is refused, since go-yaml (kubectl) lets it.
/// </summary>
internal static class MergeKeys
{
    /// <summary>The entries with merge keys expanded (<paramref name="entries"/> itself when there are none); null when a merge key is invalid.</summary>
    public static YamlEntry[]? Expand(string file, YamlEntry[] entries, List<Diagnostic> diagnostics)
    {
        if (!HasMerge(entries))
            return entries;

        var result = entries.Where(e => !IsMerge(e)).ToList();
        var present = result.Select(e => e.Key.Value).ToHashSet(StringComparer.Ordinal);
        foreach (var merge in entries.Where(IsMerge))
        {
            if (merge.Value is not (YamlMappingNode or YamlSequenceNode) || (merge.Value is YamlSequenceNode list && list.Items.Any(s => s is not YamlMappingNode)))
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.MergeKey, merge.Value.Start.In(file), "",
                    "a merge key (<<) takes a mapping or a list of mappings, usually aliases such as *defaults"));
                return null;
            }

            // go-yaml (kubectl) assigns a merge where it stands, so it overrides a key written above it, where the merge
            // rules keep that key: the file would mean two things, so it is refused.
            var sources = Sources(merge).ToList();
            if (sources.SelectMany(s => s.Entries).FirstOrDefault(e => SetBefore(entries, merge, e.Key.Value)) is { Key: { } overridden })
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.MergeKey, merge.Key.Start.In(file), "",
                    $"this merge sets {Excerpt.Of(overridden.Value)}, which the mapping sets above it: kubectl and kustomize let the merge override it, the YAML merge rules keep the first; put the << first"));
                return null;
            }

            foreach (var entry in sources.SelectMany(s => s.Entries))
            {
                if (present.Add(entry.Key.Value))
                    result.Add(entry);
            }
        }

        return [.. result];
    }

    /// <summary>
    /// Whether a written entry before <paramref name="merge"/> sets <paramref name="key"/> (a second <c>&lt;&lt;</c> is a
    /// duplicate key, reported as one).
    /// </summary>
    private static bool SetBefore(YamlEntry[] entries, YamlEntry merge, string key)
    {
        foreach (var entry in entries)
        {
            if (ReferenceEquals(entry.Key, merge.Key))
                return false;
            if (!IsMerge(entry) && entry.Key.Value == key)
                return true;
        }

        return false;
    }

    private static IEnumerable<YamlMappingNode> Sources(YamlEntry merge) => merge.Value switch
    {
        YamlMappingNode mapping => [mapping],
        YamlSequenceNode sequence => sequence.Items.OfType<YamlMappingNode>(),
        _ => [],
    };

    // A loop, not LINQ: every mapping of every file asks, and the framework's generic code over our struct runs unoptimised at first.
    private static bool HasMerge(YamlEntry[] entries)
    {
        foreach (var entry in entries)
        {
            if (IsMerge(entry))
                return true;
        }

        return false;
    }

    // Only the plain key is a merge; a quoted "<<" is an ordinary key, as in YAML 1.1.
    private static bool IsMerge(YamlEntry entry) => entry.Key.Value == "<<" && entry.Key.IsPlain;
}
