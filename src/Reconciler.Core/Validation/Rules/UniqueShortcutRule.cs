using Reconciler.Core.Manifests;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Validation.Rules;

/// <summary>A reply template's shortcut is its natural key on the platform: one template per shortcut in an organisation.</summary>
public sealed class UniqueShortcutRule : IValidationRule
{
    public IEnumerable<Diagnostic> Check(ValidationContext context)
    {
        var first = new Dictionary<string, ReplyTemplate>(StringComparer.OrdinalIgnoreCase);
        foreach (var template in context.Set.OfType<ReplyTemplate>())
        {
            if (!first.TryAdd(template.Spec.Shortcut, template))
            {
                var other = first[template.Spec.Shortcut];
                yield return context.Error(DiagnosticCodes.DuplicateShortcut, template, "spec.shortcut",
                    $"\"{template.Spec.Shortcut}\" is already the shortcut of reply template \"{other.Metadata.Name}\" ({context.Set.Locate(other, "spec.shortcut")}); shortcuts are unique in an organisation");
            }
        }
    }
}
