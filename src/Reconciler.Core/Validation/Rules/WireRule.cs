using Reconciler.Core.Engine;
using Reconciler.Core.Manifests;
using Reconciler.Core.Mapping;

namespace Reconciler.Core.Validation.Rules;

/// <summary>
/// The contract's wire rules (names, e-mail, E.164, IANA zones, HH:MM and overlaps, colours, distinct lists, domains,
/// URLs, SSO settings, ...), checked on the body each resource maps to and reported at the field's manifest position:
/// what passes here is what the platform accepts.
/// </summary>
public sealed class WireRule : IValidationRule
{
    // Mapping and checking every resource is most of validate's work after parsing; resources are independent and the
    // mappers stateless, so they are checked in parallel and reported in manifest order.
    public IEnumerable<Diagnostic> Check(ValidationContext context) =>
        context.Set.Resources
            .AsParallel()
            .AsOrdered()
            .Where(KindMappers.Manages)
            .SelectMany(resource => WireChecks.Of(resource)
                .Select(v => context.Error(v.Violation.Rule, resource, v.ManifestPath, v.Violation.Expected)));
}
