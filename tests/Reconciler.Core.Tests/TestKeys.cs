using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Reconciler.Core.Tests;

/// <summary>Key material made once per test run: the halves of an RSA key pair as JWT SSO uses it, and a SAML signing certificate.</summary>
internal static class TestKeys
{
    private static readonly RSA Pair = RSA.Create(2048);

    public static string RsaPublicKey { get; } = Pair.ExportSubjectPublicKeyInfoPem();

    public static string RsaPublicKeyPkcs1 { get; } = Pair.ExportRSAPublicKeyPem();

    public static string RsaPrivateKey { get; } = Pair.ExportPkcs8PrivateKeyPem();

    public static string RsaPrivateKeyPkcs1 { get; } = Pair.ExportRSAPrivateKeyPem();

    public static string EcPublicKey { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256).ExportSubjectPublicKeyInfoPem();

    public static string Certificate { get; } = SelfSigned().ExportCertificatePem();

    /// <summary>The certificate as SAML metadata writes it: the base64 of its DER, no PEM armour.</summary>
    public static string CertificateBase64 { get; } = Convert.ToBase64String(SelfSigned().RawData);

    /// <summary>A PEM text as a YAML double-quoted scalar, on one line.</summary>
    public static string Yaml(string pem) => "\"" + pem.Replace("\n", "\\n", StringComparison.Ordinal) + "\"";

    private static X509Certificate2 SelfSigned() =>
        new CertificateRequest("CN=idp.acme.example", Pair, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddYears(100));
}
