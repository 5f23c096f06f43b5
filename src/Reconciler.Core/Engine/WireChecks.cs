using System.Text.RegularExpressions;
using Reconciler.Core.Mapping;
using Reconciler.Core.Resources;
using Reconciler.Platform.Contract.Rules;

namespace Reconciler.Core.Engine;

/// <summary>A broken wire rule, with the manifest path of the field (<c>spec.weekly[1].closes</c>, <c>metadata.name</c>).</summary>
public sealed record WireViolation(string ManifestPath, Violation Violation)
{
    public override string ToString() => $"{ManifestPath}: {Violation.Expected}";
}

/// <summary>
/// Runs the contract's <see cref="WireRules"/> over the body a mapper makes of a resource, so that <c>validate</c>, the
/// planner and the reference platform judge the same body by the same rules; paths come back as the manifest's.
/// </summary>
public static partial class WireChecks
{
    /// <summary>
    /// The violations of a mapped resource, checked on its DTO: the body sent holds every field of the DTO a mapper
    /// sets, so the platform, reading the body back into the DTO, judges the same values. With the platform's permission
    /// and placeholder catalogs, unknown names too.
    /// </summary>
    public static IReadOnlyList<WireViolation> Of(IKindMapper controller, DesiredObject desired, IReadOnlySet<string>? permissionCatalog = null, IReadOnlySet<string>? placeholderCatalog = null)
    {
        ArgumentNullException.ThrowIfNull(controller);
        ArgumentNullException.ThrowIfNull(desired);
        var violations = WireRules.Check(desired.Wire, permissionCatalog, placeholderCatalog);
        if (violations.Count == 0)
            return [];
        var result = new WireViolation[violations.Count];
        for (var i = 0; i < result.Length; i++)
            result[i] = new WireViolation(ManifestPath(controller.Rules, violations[i].Path), violations[i]);
        return result;
    }

    /// <summary>
    /// The violations of a resource on its own: references stand for the names they give and secrets for a placeholder,
    /// since neither the platform's ids nor secret values change whether the body is well-formed.
    /// </summary>
    public static IReadOnlyList<WireViolation> Of(Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var controller = KindMappers.For(resource);
        var secrets = controller.SecretReferences(resource);
        var context = new MappingContext(NamesAsIds.Instance, secrets.Count == 0 ? SecretValues.None : SecretValues.Placeholders(secrets), IncludeSecretValues: false);
        return Of(controller, controller.Map(resource, context));
    }

    /// <summary>
    /// The rules broken by the secret values a resource's writes carry (too long, blank), which the platform judges as it
    /// judges any field. A plan holds placeholders, never values, so without this check a value the platform refuses
    /// failed the apply midway, after the writes before it. A message says what was expected, never the value.
    /// </summary>
    public static IReadOnlyList<WireViolation> OfSecretValues(IKindMapper controller, Resource resource, DesiredObject placeholders, MappingContext context)
    {
        ArgumentNullException.ThrowIfNull(controller);
        ArgumentNullException.ThrowIfNull(placeholders);
        ArgumentNullException.ThrowIfNull(context);
        if (placeholders.SecretFields.Count == 0)
            return [];
        List<WireViolation>? violations = null;
        foreach (var violation in WireRules.Check(controller.Map(resource, context with { IncludeSecretValues = true }).Wire))
        {
            if (!placeholders.SecretFields.Contains(violation.Path))
                continue;

            // These rules' messages are known not to quote the value; any other one is named without its message.
            var expected = violation.Rule is RuleCodes.Length or RuleCodes.Required ? violation.Expected : $"is refused by the platform's rule {violation.Rule}";
            (violations ??= []).Add(new WireViolation(ManifestPath(controller.Rules, violation.Path), violation with { Expected = "the secret's value " + expected }));
        }

        return violations ?? (IReadOnlyList<WireViolation>)[];
    }

    /// <summary>What the planner reports for a body the platform would refuse: every broken rule, by manifest path.</summary>
    public static PlanError PlanError(Resource resource, IReadOnlyList<WireViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(violations);
        var reason = (violations.All(v => v.Violation.Rule == RuleCodes.UnknownPermission) ? ReconcileErrorKind.UnknownPermission
            : violations.All(v => v.Violation.Rule == RuleCodes.UnknownPlaceholder) ? ReconcileErrorKind.UnknownPlaceholder
            : ReconcileErrorKind.InvalidField).Reason;
        return new PlanError(resource.Id, reason, string.Join("; ", violations), resource.Source) { Field = violations.Count > 0 ? violations[0].ManifestPath : null };
    }

    /// <summary>The manifest path of a wire path: field names as the manifest writes them, indexes kept.</summary>
    public static string ManifestPath(IReadOnlyList<ComparisonRule> rules, string wirePath)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(wirePath);
        if (wirePath is "$" or "")
            return "spec";
        var segments = wirePath.Split('.');
        var indexes = segments.Select(s => Index().Match(s).Value).ToArray();
        var bare = string.Join('.', segments.Select((s, i) => s[..(s.Length - indexes[i].Length)]));
        var mapped = ManifestPaths.Of(rules, bare);
        if (mapped == bare)
            mapped = "spec." + bare;
        var names = mapped.Split('.');
        var offset = names.Length - segments.Length;
        return string.Join('.', names.Select((n, i) => i >= offset ? n + indexes[i - offset] : n));
    }

    [GeneratedRegex(@"(\[[0-9]+\])+$", RegexOptions.CultureInvariant)]
    private static partial Regex Index();

    /// <summary>Resolves every reference to the name it gives, so messages about references read as the manifest does.</summary>
    private sealed class NamesAsIds : IReferenceResolver
    {
        public static readonly NamesAsIds Instance = new();

        public ReferenceLookup Resolve(ResourceId target) => ReferenceLookup.Of(target.Name);
    }
}
