using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Reconciler.Core.Resources;

/// <summary>A single sign-on provider.</summary>
[KubernetesKind("SsoProvider", "ssoproviders", ShortNames = ["sso"])]
[PrinterColumn("TYPE", ".spec.type")]
[PrinterColumn("ENABLED", ".spec.enabled", "boolean")]
[PrinterColumn("ENFORCED", ".spec.enforced", "boolean")]
[Description("A single sign-on provider: Google, Microsoft, Okta (OIDC), SAML or JWT. Secrets are referenced, never inline.")]
public sealed record SsoProvider : Resource<SsoProviderSpec, ResourceStatus>;

/// <summary>Protocol family of an SSO provider.</summary>
public enum SsoType
{
    Google,
    Microsoft,
    Okta,
    Saml,
    Jwt,
}

[Description("Desired state of the SSO provider; the fields required depend on type.")]
[CelRule("self.type in ['Google', 'Microsoft', 'Okta'] ? has(self.oidc) : true", "oidc is required for Google, Microsoft and Okta", FieldPath = ".oidc")]
[CelRule("self.type == 'Saml' ? has(self.saml) : !has(self.saml)", "saml is required for type Saml and forbidden otherwise", FieldPath = ".saml")]
[CelRule("self.type == 'Jwt' ? has(self.jwt) : !has(self.jwt)", "jwt is required for type Jwt and forbidden otherwise", FieldPath = ".jwt")]
[CelRule("self.type in ['Saml', 'Jwt'] ? !has(self.oidc) : true", "oidc is forbidden for types Saml and Jwt", FieldPath = ".oidc")]
[CelRule("self.type != 'Okta' || !has(self.oidc) || has(self.oidc.issuerUrl)", "type Okta needs oidc.issuerUrl (your Okta authorization server)", FieldPath = ".oidc")]
[CelRule("!(has(self.enforced) && self.enforced) || !has(self.enabled) || self.enabled", "enforced: true turns password login off, so it needs enabled: true", FieldPath = ".enforced")]
[CelRule("!(has(self.enforced) && self.enforced) || (has(self.allowedDomains) && size(self.allowedDomains) > 0)", "enforced: true needs allowedDomains: the domains whose password login is turned off", FieldPath = ".enforced")]
public sealed record SsoProviderSpec
{
    [Required]
    [Description("Google, Microsoft, Okta, Saml or Jwt.")]
    public required SsoType Type { get; init; }

    [MaxLength(200)]
    [Description("Name shown on the login page; defaults to the type.")]
    public string? DisplayName { get; init; }

    [Description("Users may sign in with this provider.")]
    public bool Enabled { get; init; } = true;

    [Description("Password login is turned off for the allowed domains.")]
    public bool Enforced { get; init; }

    [MaxLength(50)]
    [CrdList(CrdListType.Set)]
    [CrdString(Pattern = Patterns.Domain, MaxLength = 253)]
    [CelRule(CelRules.DistinctIgnoringCase, "allowedDomains must be distinct, ignoring case")]
    [Description("E-mail domains that sign in with this provider.")]
    public IReadOnlyList<string> AllowedDomains { get; init; } = [];

    [Description("Role given to users provisioned just in time.")]
    public ResourceRef? DefaultRoleRef { get; init; }

    [Description("Create an agent on first sign-in.")]
    public bool JustInTimeProvisioning { get; init; }

    [Description("OpenID Connect settings (Google, Microsoft, Okta).")]
    public OidcSettings? Oidc { get; init; }

    [Description("SAML 2.0 settings: metadataUrl, or entityId + ssoUrl + certificate.")]
    public SamlSettings? Saml { get; init; }

    [Description("JWT settings: the public key that verifies tokens.")]
    public JwtSettings? Jwt { get; init; }

    [Description("Delete removes the provider from the platform when the resource is deleted; Orphan leaves it.")]
    public DeletionPolicy DeletionPolicy { get; init; } = DeletionPolicy.Delete;
}

[Description("OpenID Connect client settings.")]
public sealed record OidcSettings
{
    [Url]
    [Description("Issuer URL (Okta; optional for Google and Microsoft).")]
    public string? IssuerUrl { get; init; }

    [Required]
    [MaxLength(500)]
    [Description("OAuth client id.")]
    public required string ClientId { get; init; }

    [Required]
    [SecretReference]
    [Description("Secret holding the OAuth client secret.")]
    public required SecretKeyRef ClientSecretRef { get; init; }

    [MaxLength(200)]
    [Description("Microsoft Entra tenant id or domain.")]
    public string? TenantId { get; init; }
}

[Description("SAML 2.0 identity provider settings.")]
[CelRule(
    "has(self.metadataUrl) ? !(has(self.entityId) || has(self.ssoUrl) || has(self.certificate)) : (has(self.entityId) && has(self.ssoUrl) && has(self.certificate))",
    "give either metadataUrl or entityId + ssoUrl + certificate")]
public sealed record SamlSettings
{
    [Url]
    [Description("IdP metadata URL; alternative to entityId + ssoUrl + certificate.")]
    public string? MetadataUrl { get; init; }

    [MaxLength(500)]
    [Description("IdP entity id.")]
    public string? EntityId { get; init; }

    [Url]
    [Description("IdP single sign-on URL.")]
    public string? SsoUrl { get; init; }

    [Description("IdP signing certificate, PEM (public).")]
    public string? Certificate { get; init; }
}

[Description("JWT single sign-on settings.")]
public sealed record JwtSettings
{
    [Required]
    [Description("Public key (PEM) that verifies the tokens your site issues.")]
    public required string PublicKey { get; init; }

    [MaxLength(500)]
    [Description("Expected iss claim.")]
    public string? Issuer { get; init; }
}
