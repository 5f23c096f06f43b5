namespace Reconciler.Platform.Contract.Rules;

/// <summary>The settings block an SSO type needs and no other, the SAML either/or, and what enforcing sign-in needs.</summary>
internal static class SsoRules
{
    public const int MaxDomains = 50;

    public static void Check(RuleSink sink, SsoProviderDto dto)
    {
        sink.OneOf("type", dto.Type, WireRules.SsoTypes);
        sink.Text("displayName", dto.DisplayName, WireRules.DisplayNameMaxLength, required: false);
        sink.Set("allowedDomains", dto.AllowedDomains, MaxDomains, StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < dto.AllowedDomains.Count; i++)
        {
            if (!string.IsNullOrWhiteSpace(dto.AllowedDomains[i]))
                sink.Format(new("allowedDomains", i), dto.AllowedDomains[i], WireFormats.IsDomain, RuleCodes.Domain, "a domain name (e.g. acme.example)");
        }

        if (dto.Enforced && !dto.Enabled)
            sink.Add("enforced", RuleCodes.SsoEnforced, "enforced: true turns password login off, so it needs enabled: true");
        if (dto.Enforced && dto.AllowedDomains.Count == 0)
            sink.Add("enforced", RuleCodes.SsoEnforced, "enforced: true needs allowedDomains: the domains whose password login is turned off");
        if (dto.JustInTimeProvisioning && string.IsNullOrEmpty(dto.DefaultRoleId))
            sink.Add("defaultRoleId", RuleCodes.SsoFields, "is required when justInTimeProvisioning is on (the role new users get)");

        Block(sink, "oidc", dto.Oidc is not null, WireRules.OidcTypes.Contains(dto.Type), dto.Type);
        Block(sink, "saml", dto.Saml is not null, dto.Type == "Saml", dto.Type);
        Block(sink, "jwt", dto.Jwt is not null, dto.Type == "Jwt", dto.Type);

        if (dto.Oidc is { } oidc)
        {
            sink.Text("oidc.clientId", oidc.ClientId, 500, required: true);
            sink.Format("oidc.issuerUrl", oidc.IssuerUrl, WireFormats.IsHttpUrl, RuleCodes.Url, "an absolute http(s) URL");
            sink.Text("oidc.tenantId", oidc.TenantId, 200, required: false);
            if (dto.Type == "Okta" && oidc.IssuerUrl is null)
                sink.Add("oidc.issuerUrl", RuleCodes.SsoFields, "is required for type Okta (your Okta authorization server)");
        }

        if (dto.Saml is { } saml)
            Saml(sink, saml);

        if (dto.Jwt is { } jwt)
        {
            sink.Text("jwt.publicKey", jwt.PublicKey, WireRules.KeyMaterialMaxLength, required: true);
            KeyMaterial.PublicKey(sink, "jwt.publicKey", jwt.PublicKey);
            sink.Text("jwt.issuer", jwt.Issuer, 500, required: false);
        }
    }

    private static void Block(RuleSink sink, string name, bool present, bool wanted, string type)
    {
        if (wanted && !present)
            sink.Add(name, RuleCodes.SsoFields, $"is required for type {type}");
        else if (present && !wanted)
            sink.Add(name, RuleCodes.SsoFields, $"is not allowed for type {type}");
    }

    private static void Saml(RuleSink sink, SamlDto saml)
    {
        var manual = new (string Name, string? Value)[] { ("entityId", saml.EntityId), ("ssoUrl", saml.SsoUrl), ("certificate", saml.Certificate) };
        if (saml.MetadataUrl is not null)
        {
            sink.Format("saml.metadataUrl", saml.MetadataUrl, WireFormats.IsHttpUrl, RuleCodes.Url, "an absolute http(s) URL");
            if (manual.Any(m => m.Value is not null))
                sink.Add("saml.metadataUrl", RuleCodes.SsoFields, "give either metadataUrl or entityId + ssoUrl + certificate, not both");
            return;
        }

        foreach (var (name, value) in manual.Where(m => m.Value is null))
            sink.Add($"saml.{name}", RuleCodes.SsoFields, "is required when metadataUrl is not given (SAML needs metadataUrl, or entityId + ssoUrl + certificate)");
        sink.Text("saml.entityId", saml.EntityId, 500, required: false);
        sink.Format("saml.ssoUrl", saml.SsoUrl, WireFormats.IsHttpUrl, RuleCodes.Url, "an absolute http(s) URL");
        sink.Text("saml.certificate", saml.Certificate, WireRules.KeyMaterialMaxLength, required: false);
        KeyMaterial.Certificate(sink, "saml.certificate", saml.Certificate);
    }
}
