using Reconciler.Core.Mapping;

namespace Reconciler.Core.Resources;

/// <summary>Custom roles; the platform's built-in roles are only referenced, never written.</summary>
public static class RoleKind
{
    public static readonly KindDescription<Role> Description = new()
    {
        Collection = "roles",
        ApplyOrder = 2,
        ExportFileName = "roles.yaml",
        BuiltIn = Role.BuiltIn,
        Mapper = new RoleMapper(),
    };
}
