using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Reconciler.Kubernetes.Tests.Fakes;

/// <summary>A certificate with its PEM forms, as a kubeconfig would carry them.</summary>
public sealed record TestCertificate(X509Certificate2 Certificate, string CertificatePem, string KeyPem);

/// <summary>Creates throwaway CAs and the server and client certificates they issue (ECDSA P-256, valid for about a day).</summary>
public static class TestCertificates
{
    public static TestCertificate CreateAuthority(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        return Persist(certificate, key);
    }

    /// <summary>A server certificate for 127.0.0.1 and localhost (or <paramref name="dnsName"/>).</summary>
    public static TestCertificate IssueServer(TestCertificate authority, string dnsName = "localhost")
    {
        ArgumentNullException.ThrowIfNull(authority);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(dnsName);
        names.AddIpAddress(IPAddress.Loopback);
        return Issue(authority, $"CN={dnsName}", names.Build(), new Oid("1.3.6.1.5.5.7.3.1"));
    }

    /// <summary>A client certificate whose common name the API server would take as the user name.</summary>
    public static TestCertificate IssueClient(TestCertificate authority, string user) =>
        Issue(authority ?? throw new ArgumentNullException(nameof(authority)), $"CN={user}, O=system:masters", null, new Oid("1.3.6.1.5.5.7.3.2"));

    private static TestCertificate Issue(TestCertificate authority, string subject, X509Extension? names, Oid usage)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([usage], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority.Certificate, true, false));
        if (names is not null)
        {
            request.CertificateExtensions.Add(names);
        }

        // Issued certificates must not outlive their issuer.
        var notAfter = new DateTimeOffset(authority.Certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero).AddMinutes(-1);
        using var certificate = request.Create(authority.Certificate, DateTimeOffset.UtcNow.AddMinutes(-5), notAfter, RandomNumberGenerator.GetBytes(16));
        using var withKey = certificate.CopyWithPrivateKey(key);
        return Persist(withKey, key);
    }

    private static TestCertificate Persist(X509Certificate2 certificate, ECDsa key)
    {
        // A PKCS#12 round trip gives a key every TLS stack (SChannel included) can use.
        var persisted = X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12, ""), "");
        return new TestCertificate(persisted, certificate.ExportCertificatePem(), key.ExportECPrivateKeyPem());
    }
}
