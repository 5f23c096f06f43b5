using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Reconciler.Core.Engine;

/// <summary>Maps a wire field path to the manifest path people wrote (<c>businessUnitIds</c> is <c>spec.businessUnitRefs</c>).</summary>
public static class ManifestPaths
{
    // A plan asks once per planned field (ten per agent of a first apply) over a kind's few paths: each is worked out
    // once per rule list. Only paths of the rules are kept; one through a map's keys (from a manifest) is not.
    private static readonly ConditionalWeakTable<IReadOnlyList<ComparisonRule>, ConcurrentDictionary<string, string>> Known = [];

    public static string Of(IReadOnlyList<ComparisonRule> rules, string wirePath)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(wirePath);
        var known = Known.GetValue(rules, static _ => new(StringComparer.Ordinal));
        if (known.TryGetValue(wirePath, out var path))
            return path;
        return Resolve(rules, wirePath) is { } resolved ? known.GetOrAdd(wirePath, resolved) : wirePath;
    }

    private static string? Resolve(IReadOnlyList<ComparisonRule> rules, string wirePath)
    {
        var names = new List<string>();
        var current = rules;
        foreach (var segment in wirePath.Split('.'))
        {
            var rule = current.FirstOrDefault(r => r.Name == segment);
            if (rule is null)
                return null;
            names.Add(rule.ManifestSegment);
            current = rule.Children;
        }

        var path = string.Join('.', names);
        return names[0].Contains('.', StringComparison.Ordinal) ? path : "spec." + path;
    }
}
