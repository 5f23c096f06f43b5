using Reconciler.Core.Engine;
using Reconciler.Core.Manifests;
using Reconciler.Core.Mapping;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Validation.Rules;

/// <summary>
/// The contract's wire rules (names, e-mail, E.164, IANA zones, HH:MM and overlaps, colours, distinct lists, domains,
/// URLs, SSO settings, ...), checked on the body each resource maps to and reported at the field's manifest position:
/// what passes here is what the platform accepts.
/// </summary>
public sealed class WireRule : IValidationRule
{
    // Mapping and checking every resource is most of validate's work after parsing; resources are independent and the
    // mappers stateless, so a large set is checked in parallel and reported in manifest order. A small one (the
    // example's 60 resources) is checked in a loop: PLINQ's set-up cost more than the checks.
    private const int ParallelFromResources = 1000;

    public IEnumerable<Diagnostic> Check(ValidationContext context)
    {
        var resources = context.Set.Resources;
        return resources.Count >= ParallelFromResources
            ? InParallel(context, resources)
            : resources.SelectMany(resource => Violations(context, resource));
    }

    // A method of its own, so that a small set never loads System.Linq.Parallel.
    private static IEnumerable<Diagnostic> InParallel(ValidationContext context, IReadOnlyList<Resource> resources) =>
        resources.AsParallel().AsOrdered().SelectMany(resource => Violations(context, resource));

    private static IEnumerable<Diagnostic> Violations(ValidationContext context, Resource resource) =>
        KindMappers.Manages(resource)
            ? WireChecks.Of(resource).Select(v => context.Error(v.Violation.Rule, resource, v.ManifestPath, v.Violation.Expected))
            : [];
}
