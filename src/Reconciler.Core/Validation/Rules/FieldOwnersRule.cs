using Reconciler.Core.Mapping;
using Reconciler.Core.FieldOwnership;
using Reconciler.Core.Manifests;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Validation.Rules;

/// <summary>
/// fieldOwners (and the per-resource annotation) name fields of platform kinds; a manifest that sets an owned field is
/// warned that its value is ignored (the other system's value stands), which is not an error: the manifest stays valid.
/// </summary>
public sealed class FieldOwnersRule : IValidationRule
{
    public IEnumerable<Diagnostic> Check(ValidationContext context)
    {
        var connection = context.Set.OfType<PlatformConnection>().FirstOrDefault();
        var (owners, errors) = FieldOwners.Parse(connection?.Spec.FieldOwners);
        foreach (var error in errors)
            yield return context.Error(DiagnosticCodes.FieldOwners, connection!, "spec.fieldOwners", error);

        foreach (var resource in context.Set.Resources.Where(KindMappers.Manages))
        {
            if (resource.Metadata.Annotations?.GetValueOrDefault(FieldOwners.Annotation) is { } annotation)
            {
                foreach (var error in FieldOwners.ParseAnnotation(annotation).Errors)
                    yield return context.Error(DiagnosticCodes.FieldOwners, resource, $"metadata.annotations[{FieldOwners.Annotation}]", error);
            }

            foreach (var field in owners.For(resource).Where(f => context.Set.IsWritten(resource, f.ManifestPath)))
            {
                yield return context.Warning(DiagnosticCodes.OwnedField, resource, field.ManifestPath,
                    $"owned by {field.Owner}: the value here is used only to create the object; Reconciler never writes it to an existing one nor reports it as drift");
            }
        }
    }
}
