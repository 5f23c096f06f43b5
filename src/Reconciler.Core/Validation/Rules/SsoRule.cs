using System.Text.RegularExpressions;
using Reconciler.Core.Manifests;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Validation.Rules;

/// <summary>
/// The settings block an SSO type needs, and none other: the [CelRule]s of <see cref="SsoProviderSpec"/>
/// (so a cluster without CEL is no weaker), with diagnostics that name the missing fields.
/// </summary>
public sealed partial class SsoRule : IValidationRule
{
    private static readonly SsoType[] OidcTypes = [SsoType.Google, SsoType.Microsoft, SsoType.Okta];

    public IEnumerable<Diagnostic> Check(ValidationContext context) =>
        context.Set.OfType<SsoProvider>().SelectMany(provider => Check(context, provider));

    private static IEnumerable<Diagnostic> Check(ValidationContext context, SsoProvider provider)
    {
        var spec = provider.Spec;
        var isOidc = OidcTypes.Contains(spec.Type);
        var blocks = new (string Name, bool Present, bool Wanted)[]
        {
            ("oidc", spec.Oidc is not null, isOidc),
            ("saml", spec.Saml is not null, spec.Type == SsoType.Saml),
            ("jwt", spec.Jwt is not null, spec.Type == SsoType.Jwt),
        };
        foreach (var (name, present, wanted) in blocks)
        {
            if (wanted && !present)
                yield return context.Error(DiagnosticCodes.SsoFields, provider, "spec.type", $"type {spec.Type} needs spec.{name}");
            else if (present && !wanted)
                yield return context.Error(DiagnosticCodes.SsoFields, provider, $"spec.{name}", $"spec.{name} is not allowed for type {spec.Type}");
        }

        if (spec.Type == SsoType.Okta && spec.Oidc is { IssuerUrl: null })
            yield return context.Error(DiagnosticCodes.SsoFields, provider, "spec.oidc", "type Okta needs spec.oidc.issuerUrl (your Okta authorization server)");

        if (spec.Type == SsoType.Saml && spec.Saml is { } saml)
        {
            var manual = new (string Name, string? Value)[] { ("entityId", saml.EntityId), ("ssoUrl", saml.SsoUrl), ("certificate", saml.Certificate) };
            if (saml.MetadataUrl is not null && manual.Any(m => m.Value is not null))
            {
                yield return context.Error(DiagnosticCodes.SsoFields, provider, "spec.saml.metadataUrl",
                    "give either metadataUrl or entityId + ssoUrl + certificate, not both");
            }
            else if (saml.MetadataUrl is null && manual.Where(m => m.Value is null).Select(m => m.Name).ToList() is { Count: > 0 } missing)
            {
                yield return context.Error(DiagnosticCodes.SsoFields, provider, "spec.saml",
                    $"SAML needs metadataUrl, or entityId + ssoUrl + certificate (missing: {string.Join(", ", missing)})");
            }
        }

        if (spec.Enforced && !spec.Enabled)
            yield return context.Error(DiagnosticCodes.SsoEnforced, provider, "spec.enforced", "enforced: true turns password login off, so it needs enabled: true");
        if (spec.Enforced && spec.AllowedDomains.Count == 0)
            yield return context.Error(DiagnosticCodes.SsoEnforced, provider, "spec.enforced", "enforced: true needs allowedDomains: the domains whose password login is turned off");

        for (var i = 0; i < spec.AllowedDomains.Count; i++)
        {
            if (spec.AllowedDomains[i].Length > 253 || !Domain().IsMatch(spec.AllowedDomains[i]))
                yield return context.Error(DiagnosticCodes.Domain, provider, $"spec.allowedDomains[{i}]", $"\"{spec.AllowedDomains[i]}\" is not a domain name (e.g. acme.example)");
        }
    }

    [GeneratedRegex(Patterns.Domain)]
    private static partial Regex Domain();
}
