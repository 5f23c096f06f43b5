using Reconciler.Core.Manifests;
using Reconciler.Platform.Contract;
using Reconciler.Platform.Contract.Rules;
using static Reconciler.Core.Tests.TestManifests;

namespace Reconciler.Core.Tests.Validation.Rules;

/// <summary>
/// SSO key material (Cobrowse: "generate an RSA public/private key pair for JWT SSO"; SAML: the identity provider's
/// certificate): the JWT provider takes the public half of an RSA pair and a SAML provider a certificate, never a private
/// key, which would be stored in the clear and shown in every plan.
/// </summary>
public sealed class KeyMaterialTests
{
    public static TheoryData<string, string, string?> JwtPublicKeys => new()
    {
        // why, jwt.publicKey, the rule broken (null: none)
        { "an RSA public key (SubjectPublicKeyInfo)", TestKeys.RsaPublicKey, null },
        { "an RSA public key (PKCS #1)", TestKeys.RsaPublicKeyPkcs1, null },
        { "with the trailing newline of a YAML block", TestKeys.RsaPublicKey + "\n", null },
        { "with Windows line ends", TestKeys.RsaPublicKey.Replace("\n", "\r\n", StringComparison.Ordinal), null },
        { "the private half (PKCS #8)", TestKeys.RsaPrivateKey, RuleCodes.PrivateKey },
        { "the private half (PKCS #1)", TestKeys.RsaPrivateKeyPkcs1, RuleCodes.PrivateKey },
        { "both halves pasted", TestKeys.RsaPublicKey + TestKeys.RsaPrivateKey, RuleCodes.PrivateKey },
        { "an EC key is not the RSA pair JWT SSO generates", TestKeys.EcPublicKey, RuleCodes.PublicKey },
        { "a certificate is not a public key", TestKeys.Certificate, RuleCodes.PublicKey },
        { "text that is no PEM", "my-public-key", RuleCodes.PublicKey },
        { "the base64 without its armour", TestKeys.RsaPublicKey.Split('\n')[1], RuleCodes.PublicKey },
        { "an armour around no key", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----", RuleCodes.PublicKey },
        { "two public keys", TestKeys.RsaPublicKey + TestKeys.RsaPublicKey, RuleCodes.PublicKey },
    };

    public static TheoryData<string, string, string?> SamlCertificates => new()
    {
        // why, saml.certificate, the rule broken (null: none)
        { "a PEM certificate", TestKeys.Certificate, null },
        { "the base64 of its DER, as SAML metadata holds it", TestKeys.CertificateBase64, null },
        { "a private key", TestKeys.RsaPrivateKey, RuleCodes.PrivateKey },
        { "a certificate with its private key", TestKeys.Certificate + TestKeys.RsaPrivateKey, RuleCodes.PrivateKey },
        { "a public key is not a certificate", TestKeys.RsaPublicKey, RuleCodes.Certificate },
        { "text that is no certificate", "PEM", RuleCodes.Certificate },
        { "base64 that is no certificate", "AAAA", RuleCodes.Certificate },
        { "an armour around no certificate", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----", RuleCodes.Certificate },
    };

    [Theory]
    [MemberData(nameof(JwtPublicKeys))]
    public void A_JWT_provider_takes_only_an_RSA_public_key(string why, string publicKey, string? rule)
    {
        var violations = WireRules.Check(new SsoProviderDto { Name = "portal", Type = "Jwt", Jwt = new JwtDto { PublicKey = publicKey } });

        violations.Select(v => (v.Path, v.Rule)).Should().Equal(rule is null ? [] : [("jwt.publicKey", rule)], why);
        violations.Should().NotContain(v => Base64Lines(publicKey).Any(line => v.Expected.Contains(line, StringComparison.Ordinal)), "a message never quotes key material");
    }

    [Theory]
    [MemberData(nameof(SamlCertificates))]
    public void A_SAML_provider_set_by_hand_takes_only_a_certificate(string why, string certificate, string? rule)
    {
        var violations = WireRules.Check(new SsoProviderDto
        {
            Name = "partners",
            Type = "Saml",
            Saml = new SamlDto { EntityId = "https://idp.partners.example", SsoUrl = "https://idp.partners.example/sso", Certificate = certificate },
        });

        violations.Select(v => (v.Path, v.Rule)).Should().Equal(rule is null ? [] : [("saml.certificate", rule)], why);
    }

    [Fact]
    public void Validate_reports_a_pasted_private_key_at_its_line_and_column_without_printing_it()
    {
        var report = Validate(Doc("SsoProvider", "portal", $"type: Jwt\njwt:\n  publicKey: {TestKeys.Yaml(TestKeys.RsaPrivateKey)}"));

        var error = report.Errors().Should().ContainSingle().Which;
        (error.Code, error.Path, error.Line, error.Column).Should().Be((DiagnosticCodes.PrivateKey, "spec.jwt.publicKey", 36, 16));
        error.Message.Should().Be("holds a private key: give only the public half of the RSA key pair (-----BEGIN PUBLIC KEY-----); the private key stays with the site that signs the tokens");
        error.Message.Should().NotContain(TestKeys.RsaPrivateKey.Split('\n')[1]);
    }

    private static IEnumerable<string> Base64Lines(string pem) =>
        pem.Split('\n').Select(l => l.Trim()).Where(l => l.Length >= 16 && !l.StartsWith("-----", StringComparison.Ordinal));
}
