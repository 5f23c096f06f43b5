using Reconciler.Core.Manifests;
using Reconciler.Core.Resources;
using Reconciler.Platform.Contract.Rules;

namespace Reconciler.Core.Validation.Rules;

/// <summary>Every reference names a resource of the right kind in the set (or one of the platform's built-in objects).</summary>
public sealed class ReferenceRule : IValidationRule
{
    public IEnumerable<Diagnostic> Check(ValidationContext context)
    {
        // A message depends only on the missing kind and name. Thousands of references can miss the same few names (a
        // role file left out), and each message looks for a suggestion among every declared name of its kind: the names
        // are grouped once, on the first miss, and each message is made once.
        Dictionary<string, List<string>>? declaredNames = null;
        var messages = new Dictionary<ResourceId, string>();
        foreach (var resource in context.Set.Resources)
        {
            foreach (var reference in ResourceCatalog.DescriptionOf(resource).ValidatedReferencesOf(resource))
            {
                var target = ResourceCatalog.Find(reference.TargetKind)!;
                var builtIns = target.Description.BuiltIn;
                var name = reference.Name;
                if (builtIns.Contains(name) || context.Set.Declared.Contains(reference.Target))
                    continue;
                if (!messages.TryGetValue(reference.Target, out var message))
                {
                    declaredNames ??= NamesByKind(context.Set.Declared);
                    var candidates = (declaredNames.GetValueOrDefault(reference.TargetKind) ?? []).Concat(builtIns);
                    var builtIn = builtIns.Count > 0 ? $" (nor one of the built-in {target.Plural} {string.Join(", ", builtIns)})" : "";
                    message = $"{reference.TargetKind} {Excerpt.Quoted(name)} not found in the set{builtIn}{Suggestions.DidYouMean(name, candidates)}";
                    messages.Add(reference.Target, message);
                }

                yield return context.Error(DiagnosticCodes.ReferenceNotFound, resource, reference.Path + ".name", message);
            }
        }
    }

    /// <summary>The declared names of each kind, in the set's order (which decides between equally close suggestions).</summary>
    private static Dictionary<string, List<string>> NamesByKind(IEnumerable<ResourceId> declared)
    {
        var names = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var id in declared)
        {
            if (!names.TryGetValue(id.Kind, out var list))
                names.Add(id.Kind, list = []);
            list.Add(id.Name);
        }

        return names;
    }
}
