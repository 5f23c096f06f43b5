using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Reconciler.Platform.Contract.Rules;

/// <summary>
/// The public key material of single sign-on: the JWT provider's RSA public key (the console generates an RSA key pair
/// and the site keeps the private half) and a SAML identity provider's signing certificate. Both fields are stored in
/// the clear and shown in plans and the audit trail, so a private key pasted into either is refused, and no message
/// quotes the value.
/// </summary>
internal static class KeyMaterial
{
    private const string PrivateKeyMarker = "PRIVATE KEY-----";

    /// <summary>An RSA public key in PEM: <c>-----BEGIN PUBLIC KEY-----</c> (SubjectPublicKeyInfo) or <c>-----BEGIN RSA PUBLIC KEY-----</c> (PKCS #1), one block.</summary>
    private static bool IsRsaPublicKey(string? value)
    {
        if (!TryReadPem(value, out var label, out var der))
            return false;
        using var rsa = RSA.Create();
        try
        {
            int read;
            if (label == "PUBLIC KEY")
                rsa.ImportSubjectPublicKeyInfo(der, out read);
            else if (label == "RSA PUBLIC KEY")
                rsa.ImportRSAPublicKey(der, out read);
            else
                return false;
            return read == der.Length;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>An X.509 certificate in PEM (<c>-----BEGIN CERTIFICATE-----</c>, one block) or as the bare base64 of its DER, as SAML metadata writes it.</summary>
    private static bool IsCertificate(string? value)
    {
        byte[] der;
        if (TryReadPem(value, out var label, out var pem))
        {
            if (label != "CERTIFICATE")
                return false;
            der = pem;
        }
        else if (!TryReadBase64(value, out der))
        {
            return false;
        }

        try
        {
            using var certificate = X509CertificateLoader.LoadCertificate(der);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>Whether the text holds a PEM private key block (PKCS #1, PKCS #8, encrypted, EC, OpenSSH) anywhere.</summary>
    private static bool HoldsPrivateKey(string? value) => value?.Contains(PrivateKeyMarker, StringComparison.Ordinal) == true;

    internal static void PublicKey(RuleSink sink, FieldPath path, string? value)
    {
        // Blank, too long or with control characters: the text rule has said so already.
        if (string.IsNullOrWhiteSpace(value) || value.Length > WireRules.KeyMaterialMaxLength || ControlCharacters.In(value))
            return;
        if (HoldsPrivateKey(value))
            sink.Add(path, RuleCodes.PrivateKey, "holds a private key: give only the public half of the RSA key pair (-----BEGIN PUBLIC KEY-----); the private key stays with the site that signs the tokens");
        else if (!IsRsaPublicKey(value))
            sink.Add(path, RuleCodes.PublicKey, "must be an RSA public key in PEM (-----BEGIN PUBLIC KEY----- … -----END PUBLIC KEY-----): the public half of the key pair generated for JWT single sign-on");
    }

    internal static void Certificate(RuleSink sink, FieldPath path, string? value)
    {
        // Blank, too long or with control characters: the text rule has said so already.
        if (string.IsNullOrWhiteSpace(value) || value.Length > WireRules.KeyMaterialMaxLength || ControlCharacters.In(value))
            return;
        if (HoldsPrivateKey(value))
            sink.Add(path, RuleCodes.PrivateKey, "holds a private key: give only the identity provider's signing certificate (-----BEGIN CERTIFICATE-----)");
        else if (!IsCertificate(value))
            sink.Add(path, RuleCodes.Certificate, "must be the identity provider's X.509 signing certificate in PEM (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----)");
    }

    /// <summary>The label and decoded data of the one PEM block that is the whole (trimmed) text.</summary>
    private static bool TryReadPem(string? value, out string label, out byte[] der)
    {
        label = "";
        der = [];
        if (value is null)
            return false;
        var text = value.AsSpan().Trim();
        if (!PemEncoding.TryFind(text, out var fields) || fields.Location.Start.Value != 0 || fields.Location.End.GetOffset(text.Length) != text.Length)
            return false;
        label = text[fields.Label].ToString();
        der = new byte[fields.DecodedDataLength];
        return Convert.TryFromBase64Chars(text[fields.Base64Data], der, out var written) && written == der.Length;
    }

    private static bool TryReadBase64(string? value, out byte[] der)
    {
        der = [];
        if (value is null || value.Contains("-----", StringComparison.Ordinal))
            return false;
        var buffer = new byte[value.Length * 3 / 4];
        if (!Convert.TryFromBase64String(value.Trim(), buffer, out var written) || written == 0)
            return false;
        der = buffer[..written];
        return true;
    }
}
