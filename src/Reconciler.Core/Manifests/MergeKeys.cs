namespace Reconciler.Core.Manifests;

/// <summary>
/// YAML 1.1 merge keys (<c>&lt;&lt;: *defaults</c>), which kubectl accepts: the merged mappings' keys are added
/// unless the mapping sets them itself, and of several merged mappings the earlier one wins.
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
            IReadOnlyList<YamlNode>? sources = merge.Value switch
            {
                YamlMappingNode mapping => [mapping],
                YamlSequenceNode sequence => sequence.Items,
                _ => null,
            };
            if (sources is null || sources.Any(s => s is not YamlMappingNode))
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.MergeKey, merge.Value.Start.In(file), "",
                    "a merge key (<<) takes a mapping or a list of mappings, usually aliases such as *defaults"));
                return null;
            }

            foreach (var entry in sources.Cast<YamlMappingNode>().SelectMany(s => s.Entries))
            {
                if (present.Add(entry.Key.Value))
                    result.Add(entry);
            }
        }

        return [.. result];
    }

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
