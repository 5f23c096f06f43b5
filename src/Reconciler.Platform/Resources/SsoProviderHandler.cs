using Reconciler.Platform.Contract;
using Reconciler.Platform.Validation;
using C = Reconciler.Platform.Contract.AdminApi.Collections;

namespace Reconciler.Platform.Resources;

/// <summary>
/// SSO providers: fields required or forbidden per type; the OIDC client secret is write-only
/// (kept when a replace omits it; its change time is tracked; never presented).
/// </summary>
internal sealed class SsoProviderHandler : ResourceHandler<SsoProviderDto>
{
    private static readonly string[] Types = ["Google", "Microsoft", "Okta", "Saml", "Jwt"];

    public override string Collection => C.SsoProviders;

    public override string IdPrefix => "sso";

    public override bool HasSecrets => true;

    protected override string Key(SsoProviderDto dto) => dto.Name;

    protected override void Validate(SsoProviderDto dto, SsoProviderDto? existing, ValidationErrors errors)
    {
        Names.Check(errors, dto.Name);
        FieldRules.OneOf(errors, "type", dto.Type, Types);
        for (var i = 0; i < dto.AllowedDomains.Count; i++)
        {
            if (!FieldRules.IsDomain(dto.AllowedDomains[i]))
            {
                errors.Add($"allowedDomains[{i}]", "must be a domain name such as acme.example");
            }
        }

        FieldRules.Distinct(errors, "allowedDomains", dto.AllowedDomains);
        if (dto.JustInTimeProvisioning && string.IsNullOrEmpty(dto.DefaultRoleId))
        {
            errors.Add("defaultRoleId", "is required when justInTimeProvisioning is on");
        }

        var oidcType = dto.Type is "Google" or "Microsoft" or "Okta";
        if (oidcType)
        {
            if (dto.Oidc is null)
            {
                errors.Add("oidc", $"is required for type {dto.Type}");
            }
            else
            {
                FieldRules.RequireText(errors, "oidc.clientId", dto.Oidc.ClientId);
                var hasStored = existing?.Oidc?.ClientSecret is not null;
                if (string.IsNullOrEmpty(dto.Oidc.ClientSecret) && !hasStored)
                {
                    errors.Add("oidc.clientSecret", "is required when no client secret is stored yet");
                }

                if (dto.Oidc.IssuerUrl is not null && !FieldRules.IsAbsoluteHttpUrl(dto.Oidc.IssuerUrl))
                {
                    errors.Add("oidc.issuerUrl", "must be an absolute http(s) URL");
                }

                if (dto.Type == "Okta" && dto.Oidc.IssuerUrl is null)
                {
                    errors.Add("oidc.issuerUrl", "is required for type Okta");
                }
            }
        }
        else if (dto.Oidc is not null)
        {
            errors.Add("oidc", $"is not allowed for type {dto.Type}");
        }

        if (dto.Type == "Saml")
        {
            var saml = dto.Saml;
            if (saml is null)
            {
                errors.Add("saml", "is required for type Saml");
            }
            else if (saml.MetadataUrl is not null)
            {
                if (!FieldRules.IsAbsoluteHttpUrl(saml.MetadataUrl))
                {
                    errors.Add("saml.metadataUrl", "must be an absolute http(s) URL");
                }
            }
            else
            {
                FieldRules.RequireText(errors, "saml.entityId", saml.EntityId, 2000);
                if (!FieldRules.IsAbsoluteHttpUrl(saml.SsoUrl))
                {
                    errors.Add("saml.ssoUrl", "is required (an absolute http(s) URL) when metadataUrl is not given");
                }

                FieldRules.RequireText(errors, "saml.certificate", saml.Certificate, 20_000);
            }
        }
        else if (dto.Saml is not null)
        {
            errors.Add("saml", $"is not allowed for type {dto.Type}");
        }

        if (dto.Type == "Jwt")
        {
            if (dto.Jwt is null)
            {
                errors.Add("jwt", "is required for type Jwt");
            }
            else
            {
                FieldRules.RequireText(errors, "jwt.publicKey", dto.Jwt.PublicKey, 20_000);
            }
        }
        else if (dto.Jwt is not null)
        {
            errors.Add("jwt", $"is not allowed for type {dto.Type}");
        }
    }

    protected override IEnumerable<Reference> References(SsoProviderDto dto) => Ref("defaultRoleId", C.Roles, dto.DefaultRoleId);

    protected override SsoProviderDto Prepare(SsoProviderDto incoming, SsoProviderDto? existing, DateTimeOffset now)
    {
        if (incoming.Oidc is not { } oidc)
        {
            return incoming;
        }

        var stored = existing?.Oidc;
        var secret = string.IsNullOrEmpty(oidc.ClientSecret) ? stored?.ClientSecret : oidc.ClientSecret;
        var changed = secret is not null && !string.Equals(secret, stored?.ClientSecret, StringComparison.Ordinal);
        return incoming with
        {
            Oidc = oidc with
            {
                ClientSecret = secret,
                ClientSecretSet = secret is not null,
                ClientSecretUpdatedAt = changed ? now : stored?.ClientSecretUpdatedAt,
            },
        };
    }

    protected override SsoProviderDto Present(SsoProviderDto stored) =>
        stored.Oidc is null ? stored : stored with { Oidc = stored.Oidc with { ClientSecret = null } };
}
