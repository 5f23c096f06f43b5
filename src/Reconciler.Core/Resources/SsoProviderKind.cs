using Reconciler.Core.Mapping;

namespace Reconciler.Core.Resources;

/// <summary>SSO providers: reference the role new users get.</summary>
public static class SsoProviderKind
{
    public static readonly KindDescription<SsoProvider> Description = new()
    {
        Collection = "sso-providers",
        ApplyOrder = 4,
        ExportFileName = "sso-providers.yaml",
        References = [ReferenceField<SsoProvider>.One("spec.defaultRoleRef", "Role", s => s.Spec.DefaultRoleRef)],
        Mapper = new SsoProviderMapper(),
    };
}
