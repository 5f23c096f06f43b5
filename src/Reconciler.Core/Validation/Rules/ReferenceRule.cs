using Reconciler.Core.Manifests;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Validation.Rules;

/// <summary>Every reference names a resource of the right kind in the set (or one of the platform's built-in objects).</summary>
public sealed class ReferenceRule : IValidationRule
{
    public IEnumerable<Diagnostic> Check(ValidationContext context)
    {
        foreach (var resource in context.Set.Resources)
        {
            foreach (var reference in ResourceCatalog.DescriptionOf(resource).ValidatedReferencesOf(resource))
            {
                var target = ResourceCatalog.Find(reference.TargetKind)!;
                var builtIns = target.Description.BuiltIn;
                var name = reference.Name;
                if (builtIns.Contains(name) || context.Set.Declared.Contains(reference.Target))
                    continue;
                var candidates = context.Set.Declared.Where(id => id.Kind == reference.TargetKind).Select(id => id.Name).Concat(builtIns);
                var builtIn = builtIns.Count > 0 ? $" (nor one of the built-in {target.Plural} {string.Join(", ", builtIns)})" : "";
                yield return context.Error(DiagnosticCodes.ReferenceNotFound, resource, reference.Path + ".name",
                    $"{reference.TargetKind} \"{name}\" not found in the set{builtIn}{Suggestions.DidYouMean(name, candidates)}");
            }
        }
    }
}
