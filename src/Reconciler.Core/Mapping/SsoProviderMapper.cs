using System.Text.Json.Nodes;
using Reconciler.Core.Engine;
using Reconciler.Core.Platform;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Mapping;

/// <summary>
/// SSO providers. The OIDC client secret is write-only on the platform, so it is never compared:
/// a salted, slow fingerprint in a label (<see cref="SecretFingerprint"/>) tells whether the referenced secret changed since it was last sent.
/// </summary>
public sealed class SsoProviderMapper : KindMapper<SsoProvider>
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
        var role = References(resource).FirstOrDefault();
        var labels = new Dictionary<string, string>();
        JsonObject? oidc = null;
        if (spec.Oidc is { } settings)
        {
            var secret = context.Secrets.Lookup(settings.ClientSecretRef);
            if (secret.Value is null)
                throw new SecretNotFoundException($"spec.oidc.clientSecretRef: {secret.Error}");
            labels[Ownership.SecretFingerprintLabel] = context.Secrets.Fingerprint(settings.ClientSecretRef, secret.Value, context.ObservedLabels?.GetValueOrDefault(Ownership.SecretFingerprintLabel));
            oidc = new JsonObject
            {
                ["issuerUrl"] = settings.IssuerUrl,
                ["clientId"] = settings.ClientId,
                ["tenantId"] = settings.TenantId,
            };
            if (context.IncludeSecretValues)
                oidc["clientSecret"] = secret.Value;
        }

        var fields = new JsonObject
        {
            ["name"] = resource.Metadata.Name,
            ["type"] = spec.Type.ToString(),
            ["displayName"] = spec.DisplayName,
            ["enabled"] = spec.Enabled,
            ["enforced"] = spec.Enforced,
            ["allowedDomains"] = Strings(spec.AllowedDomains),
            ["defaultRoleId"] = role is null ? null : Resolve(context, role),
            ["justInTimeProvisioning"] = spec.JustInTimeProvisioning,
            ["oidc"] = oidc,
            ["saml"] = spec.Saml is { } saml ? new JsonObject
            {
                ["metadataUrl"] = saml.MetadataUrl,
                ["entityId"] = saml.EntityId,
                ["ssoUrl"] = saml.SsoUrl,
                ["certificate"] = saml.Certificate,
            } : null,
            ["jwt"] = spec.Jwt is { } jwt ? new JsonObject { ["publicKey"] = jwt.PublicKey, ["issuer"] = jwt.Issuer } : null,
        };
        return new DesiredObject(fields, labels, oidc is null ? [] : [ClientSecretField]);
    }

    public override SsoProvider Export(PlatformObject platformObject, ExportContext context)
    {
        var f = platformObject.Fields;
        var name = context.NameOf(Collection, platformObject.Id)!;
        var roleId = ReadString(f["defaultRoleId"]);
        var oidc = f["oidc"] as JsonObject;
        var saml = f["saml"] as JsonObject;
        var jwt = f["jwt"] as JsonObject;
        return new SsoProvider
        {
            Metadata = Meta(name),
            Spec = new SsoProviderSpec
            {
                Type = ReadEnum(f["type"], SsoType.Okta),
                DisplayName = ReadString(f["displayName"]),
                Enabled = f["enabled"]?.GetValue<bool>() ?? true,
                Enforced = f["enforced"]?.GetValue<bool>() ?? false,
                AllowedDomains = ReadStrings(f["allowedDomains"]),
                DefaultRoleRef = roleId is null ? null : ResourceRef.FromString(context.NameOf("roles", roleId) ?? roleId),
                JustInTimeProvisioning = f["justInTimeProvisioning"]?.GetValue<bool>() ?? false,
                // The platform never returns the secret: export points at a Secret the user must provide.
                Oidc = oidc is null ? null : new OidcSettings
                {
                    IssuerUrl = ReadString(oidc["issuerUrl"]),
                    ClientId = ReadString(oidc["clientId"]) ?? "",
                    ClientSecretRef = new SecretKeyRef { Name = name, Key = "clientSecret" },
                    TenantId = ReadString(oidc["tenantId"]),
                },
                Saml = saml is null ? null : new SamlSettings
                {
                    MetadataUrl = ReadString(saml["metadataUrl"]),
                    EntityId = ReadString(saml["entityId"]),
                    SsoUrl = ReadString(saml["ssoUrl"]),
                    Certificate = ReadString(saml["certificate"]),
                },
                Jwt = jwt is null ? null : new JwtSettings { PublicKey = ReadString(jwt["publicKey"]) ?? "", Issuer = ReadString(jwt["issuer"]) },
            },
        };
    }
}
