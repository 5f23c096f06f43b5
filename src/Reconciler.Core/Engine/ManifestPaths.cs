namespace Reconciler.Core.Engine;

/// <summary>Maps a wire field path to the manifest path people wrote (<c>businessUnitIds</c> is <c>spec.businessUnitRefs</c>).</summary>
public static class ManifestPaths
{
    public static string Of(IReadOnlyList<ComparisonRule> rules, string wirePath)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(wirePath);
        var names = new List<string>();
        var current = rules;
        foreach (var segment in wirePath.Split('.'))
        {
            var rule = current.FirstOrDefault(r => r.Name == segment);
            if (rule is null)
                return wirePath;
            names.Add(rule.ManifestSegment);
            current = rule.Children;
        }

        var path = string.Join('.', names);
        return names[0].Contains('.', StringComparison.Ordinal) ? path : "spec." + path;
    }
}
