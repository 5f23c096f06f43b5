using Reconciler.Core.Manifests;
using Reconciler.Core.Resources;
using Reconciler.Platform.Contract.Rules;

namespace Reconciler.Core.Validation.Rules;

/// <summary>
/// A kind whose platform key is a spec field (an agent's e-mail, a template's shortcut) holds each key once per set,
/// compared as the platform compares it; the second holder is reported at its key field, naming the first and where it is.
/// </summary>
public sealed class UniqueNaturalKeyRule : IValidationRule
{
    private static readonly KindDescription[] Keyed = [.. ResourceCatalog.Kinds.Select(k => k.Description).Where(d => d.KeyPath is not null)];

    public IEnumerable<Diagnostic> Check(ValidationContext context)
    {
        foreach (var kind in Keyed)
        {
            var path = kind.KeyPath!;
            var field = path[(path.LastIndexOf('.') + 1)..];
            var first = new Dictionary<string, Resource>(kind.KeyIgnoresCase ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
            foreach (var resource in context.Set.Resources.Where(r => r.Kind == kind.Kind))
            {
                if (kind.KeyAsWritten(resource) is not { Length: > 0 } key || first.TryAdd(key, resource))
                    continue;
                var other = first[key];
                var at = context.Set.Locate(other, path);
                yield return context.Error(DiagnosticCodes.DuplicateNaturalKey(path), resource, path,
                    $"{Excerpt.Quoted(key)} is already the {field} of {kind.Noun} {Excerpt.Quoted(other.Metadata.Name)} ({at}); "
                    + $"the platform keys {kind.Noun}s by {field}{(kind.KeyIgnoresCase ? ", compared case-insensitively" : "")}") with { Related = at };
            }
        }
    }
}
