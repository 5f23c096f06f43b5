using Reconciler.Platform.Contract;
using Reconciler.Platform.Contract.Rules;
using Reconciler.Platform.Validation;
using C = Reconciler.Platform.Contract.AdminApi.Collections;

namespace Reconciler.Platform.Resources;

/// <summary>
/// SSO providers: fields required or forbidden per type; the OIDC client secret is write-only
/// (kept when a replace omits it; its change time is tracked; never presented).
/// </summary>
internal sealed class SsoProviderHandler() : ResourceHandler<SsoProviderDto>(C.SsoProviders, "sso", dto => dto.Name, WireRules.Check)
{
    protected override void Validate(SsoProviderDto dto, SsoProviderDto? existing, ValidationErrors errors)
    {
        // Write-only: a replace may omit the secret to keep the stored one, so only the platform can tell whether one is missing.
        if (dto.Oidc is { } oidc && string.IsNullOrEmpty(oidc.ClientSecret) && existing?.Oidc?.ClientSecret is null)
        {
            errors.Add("oidc.clientSecret", "is required when no client secret is stored yet");
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
}
