using System.Text.RegularExpressions;
using Reconciler.Core.Manifests;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Validation.Rules;

/// <summary>
/// Permission names look like the platform catalog's (<c>agents.read</c>): lowercase dotted words.
/// Whether a name exists in the catalog is known only to the platform, at plan time.
/// </summary>
public sealed partial class PermissionNameRule : IValidationRule
{
    public IEnumerable<Diagnostic> Check(ValidationContext context)
    {
        foreach (var role in context.Set.OfType<Role>())
        {
            for (var i = 0; i < role.Spec.Permissions.Count; i++)
            {
                var permission = role.Spec.Permissions[i];
                if (!Name().IsMatch(permission))
                {
                    yield return context.Error(DiagnosticCodes.PermissionName, role, $"spec.permissions[{i}]",
                        $"\"{permission}\" is not a permission name: lowercase words separated by dots, e.g. agents.read");
                }
            }
        }
    }

    [GeneratedRegex(Patterns.PermissionName)]
    private static partial Regex Name();
}
