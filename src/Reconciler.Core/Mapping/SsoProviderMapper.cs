using Reconciler.Core.Engine;
using Reconciler.Core.Resources;
using Reconciler.Platform.Contract;

namespace Reconciler.Core.Mapping;

/// <summary>
/// SSO providers. The OIDC client secret is write-only on the platform, so it is never compared:
/// a salted, slow fingerprint in a label (<see cref="SecretFingerprint"/>) tells whether the referenced secret changed since it was last sent.
/// </summary>
public sealed class SsoProviderMapper : KindMapper<SsoProvider, SsoProviderDto>
{
    public const string ClientSecretField = "oidc.clientSecret";

    public override IReadOnlyList<ComparisonRule> Rules { get; } =
    [
        new("name") { ManifestName = "metadata.name" },
        new("type"),
        new("displayName"),
        new("enabled") { Default = true },
        new("enforced") { Default = false },
        new("allowedDomains", ComparisonShape.CaseInsensitiveSet),
        new("defaultRoleId") { ReferenceKind = "Role" },
        new("justInTimeProvisioning") { Default = false },
        new("oidc", ComparisonShape.Object)
        {
            Children = [new("issuerUrl"), new("clientId"), new("clientSecret") { WriteOnly = true, ManifestName = "clientSecretRef" }, new("tenantId")],
        },
        new("saml", ComparisonShape.Object) { Children = [new("metadataUrl"), new("entityId"), new("ssoUrl"), new("certificate")] },
        new("jwt", ComparisonShape.Object) { Children = [new("publicKey"), new("issuer")] },
    ];

    protected override IEnumerable<SecretKeyRef> SecretReferences(SsoProvider resource) =>
        resource.Spec.Oidc is { } oidc ? [oidc.ClientSecretRef] : [];

    protected override DesiredObject Map(SsoProvider resource, MappingContext context)
    {
        var spec = resource.Spec;
        var labels = new Dictionary<string, string>();
        OidcDto? oidc = null;
        if (spec.Oidc is { } settings)
        {
            var secret = context.Secrets.Lookup(settings.ClientSecretRef);
            if (secret.Value is null)
                throw new SecretNotFoundException("spec.oidc.clientSecretRef", secret.Error!);
            labels[Ownership.SecretFingerprintLabel] = context.Secrets.Fingerprint(settings.ClientSecretRef, secret.Value, context.ObservedLabels?.GetValueOrDefault(Ownership.SecretFingerprintLabel));
            oidc = new OidcDto
            {
                IssuerUrl = settings.IssuerUrl,
                ClientId = settings.ClientId,
                ClientSecret = context.IncludeSecretValues ? secret.Value : null,
                TenantId = settings.TenantId,
            };
        }

        var body = Body(new SsoProviderDto
        {
            Name = resource.Metadata.Name,
            Type = spec.Type.ToString(),
            DisplayName = spec.DisplayName,
            Enabled = spec.Enabled,
            Enforced = spec.Enforced,
            AllowedDomains = [.. spec.AllowedDomains],
            DefaultRoleId = ResolveOne(resource, context, "spec.defaultRoleRef"),
            JustInTimeProvisioning = spec.JustInTimeProvisioning,
            Oidc = oidc,
            Saml = spec.Saml is { } saml ? new SamlDto { MetadataUrl = saml.MetadataUrl, EntityId = saml.EntityId, SsoUrl = saml.SsoUrl, Certificate = saml.Certificate } : null,
            Jwt = spec.Jwt is { } jwt ? new JwtDto { PublicKey = jwt.PublicKey, Issuer = jwt.Issuer } : null,
        });
        return body with { SecretLabels = labels, SecretFields = oidc is null ? [] : [ClientSecretField] };
    }

    protected override SsoProvider Export(SsoProviderDto wire, ExportContext context)
    {
        var name = NameOf(wire, context);
        return new SsoProvider
        {
            Metadata = Meta(name),
            Spec = new SsoProviderSpec
            {
                Type = ReadEnum(wire.Type, SsoType.Okta),
                DisplayName = wire.DisplayName,
                Enabled = wire.Enabled,
                Enforced = wire.Enforced,
                AllowedDomains = wire.AllowedDomains ?? [],
                DefaultRoleRef = RefTo<Role>(context, wire.DefaultRoleId),
                JustInTimeProvisioning = wire.JustInTimeProvisioning,
                // The platform never returns the secret: export points at a Secret the user must provide.
                Oidc = wire.Oidc is not { } oidc ? null : new OidcSettings
                {
                    IssuerUrl = oidc.IssuerUrl,
                    ClientId = oidc.ClientId ?? "",
                    ClientSecretRef = new SecretKeyRef { Name = name, Key = "clientSecret" },
                    TenantId = oidc.TenantId,
                },
                Saml = wire.Saml is not { } saml ? null : new SamlSettings { MetadataUrl = saml.MetadataUrl, EntityId = saml.EntityId, SsoUrl = saml.SsoUrl, Certificate = saml.Certificate },
                Jwt = wire.Jwt is not { } jwt ? null : new JwtSettings { PublicKey = jwt.PublicKey ?? "", Issuer = jwt.Issuer },
            },
        };
    }
}
