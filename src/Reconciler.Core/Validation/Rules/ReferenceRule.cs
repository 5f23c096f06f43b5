using Reconciler.Core.Manifests;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Validation.Rules;

/// <summary>Every reference names a resource of the right kind in the set (or a built-in role).</summary>
public sealed class ReferenceRule : IValidationRule
{
    private sealed record Reference(string Path, ResourceRef Ref, string TargetKind);

    public IEnumerable<Diagnostic> Check(ValidationContext context)
    {
        foreach (var resource in context.Set.Resources)
        {
            foreach (var reference in ReferencesOf(resource))
            {
                var name = reference.Ref.Name;
                if (reference.TargetKind == "Role" && Role.BuiltIn.Contains(name))
                    continue;
                if (context.Set.Declared.Contains(new ResourceId(reference.TargetKind, name)))
                    continue;
                var candidates = context.Set.Declared.Where(id => id.Kind == reference.TargetKind).Select(id => id.Name);
                if (reference.TargetKind == "Role")
                    candidates = candidates.Concat(Role.BuiltIn);
                var builtIn = reference.TargetKind == "Role" ? $" (nor one of the built-in roles {string.Join(", ", Role.BuiltIn)})" : "";
                yield return context.Error(DiagnosticCodes.ReferenceNotFound, resource, reference.Path + ".name",
                    $"{reference.TargetKind} \"{name}\" not found in the set{builtIn}{Suggestions.DidYouMean(name, candidates)}");
            }
        }
    }

    private static IEnumerable<Reference> ReferencesOf(Resource resource)
    {
        switch (resource)
        {
            case Agent agent:
                yield return new("spec.roleRef", agent.Spec.RoleRef, "Role");
                for (var i = 0; i < agent.Spec.BusinessUnitRefs.Count; i++)
                    yield return new($"spec.businessUnitRefs[{i}]", agent.Spec.BusinessUnitRefs[i], "BusinessUnit");
                if (agent.Spec.SupervisorRef is { } supervisor)
                    yield return new("spec.supervisorRef", supervisor, "Agent");
                for (var t = 0; t < agent.Spec.Temporary.Count; t++)
                {
                    var temporary = agent.Spec.Temporary[t];
                    if (temporary.RoleRef is { } role)
                        yield return new($"spec.temporary[{t}].roleRef", role, "Role");
                    for (var i = 0; i < (temporary.BusinessUnitRefs?.Count ?? 0); i++)
                        yield return new($"spec.temporary[{t}].businessUnitRefs[{i}]", temporary.BusinessUnitRefs![i], "BusinessUnit");
                }
                break;
            case BusinessUnit { Spec.OfficeHoursRef: { } hours }:
                yield return new("spec.officeHoursRef", hours, "OfficeHours");
                break;
            case Organization { Spec.DefaultOfficeHoursRef: { } hours }:
                yield return new("spec.defaultOfficeHoursRef", hours, "OfficeHours");
                break;
            case SsoProvider { Spec.DefaultRoleRef: { } role }:
                yield return new("spec.defaultRoleRef", role, "Role");
                break;
        }
    }
}
