using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Reconciler.Kubernetes.Configuration;

/// <summary>
/// Where the API server is and how to authenticate to it, from a kubeconfig or the in-cluster service
/// account; <see cref="CreateHttpMessageHandler"/> turns it into an HTTP pipeline.
/// </summary>
public sealed class KubernetesClientConfiguration
{
    /// <summary>The mount point of a pod's service-account credentials.</summary>
    public const string DefaultServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";

    public required Uri Server { get; init; }

    /// <summary>The context's namespace, or the pod's own namespace in-cluster; "default" when neither says.</summary>
    public string Namespace { get; init; } = "default";

    public ITokenProvider? TokenProvider { get; init; }

    /// <summary>A client certificate with its private key, for mutual TLS.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>The CA bundle that must have issued the server's certificate; empty means the system trust store.</summary>
    public X509Certificate2Collection CertificateAuthorities { get; init; } = [];

    public bool SkipTlsVerify { get; init; }

    /// <summary>The name to verify the server certificate against when it differs from the URL's host.</summary>
    public string? TlsServerName { get; init; }

    public Uri? Proxy { get; init; }

    /// <summary>Where this configuration came from, for log lines and error messages.</summary>
    public string Source { get; init; } = "";

    /// <summary>
    /// Resolves a configuration the way controller-runtime does: the explicit kubeconfig path (--kubeconfig),
    /// else the KUBECONFIG list, else the in-cluster service account, else ~/.kube/config.
    /// </summary>
    public static KubernetesClientConfiguration Load(KubernetesConfigurationSources? sources = null)
    {
        sources ??= new KubernetesConfigurationSources();
        if (!string.IsNullOrEmpty(sources.KubeconfigPath))
        {
            if (!File.Exists(sources.KubeconfigPath))
            {
                throw new KubernetesConfigurationException($"The kubeconfig file {sources.KubeconfigPath} given by --kubeconfig does not exist.");
            }

            return FromKubeconfig(Kubeconfig.Load([sources.KubeconfigPath]), sources.KubeconfigPath, sources.Context, sources.TimeProvider);
        }

        var attempts = new List<string> { "--kubeconfig was not given" };
        var kubeconfigVariable = sources.GetEnvironmentVariable("KUBECONFIG");
        if (!string.IsNullOrWhiteSpace(kubeconfigVariable))
        {
            var paths = kubeconfigVariable.Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Distinct(StringComparer.Ordinal)
                .ToList();
            var existing = paths.Where(File.Exists).ToList();
            if (existing.Count > 0)
            {
                return FromKubeconfig(Kubeconfig.Load(existing), string.Join(System.IO.Path.PathSeparator, existing), sources.Context, sources.TimeProvider);
            }

            attempts.Add($"none of the files in KUBECONFIG ({kubeconfigVariable}) exist");
        }
        else
        {
            attempts.Add("KUBECONFIG is not set");
        }

        var host = sources.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST");
        if (!string.IsNullOrEmpty(host))
        {
            return InCluster(sources);
        }

        attempts.Add("not running in a cluster (KUBERNETES_SERVICE_HOST is not set)");
        if (sources.HomeDirectory is { Length: > 0 } home)
        {
            var defaultPath = System.IO.Path.Combine(home, ".kube", "config");
            if (File.Exists(defaultPath))
            {
                return FromKubeconfig(Kubeconfig.Load([defaultPath]), defaultPath, sources.Context, sources.TimeProvider);
            }

            attempts.Add($"{defaultPath} does not exist");
        }
        else
        {
            attempts.Add("no home directory to look for .kube/config in");
        }

        throw new KubernetesConfigurationException(
            "No Kubernetes connection configured: " + string.Join("; ", attempts) +
            ". Pass --kubeconfig, set KUBECONFIG, or run inside a pod with a service account.");
    }

    /// <summary>The in-cluster service account: KUBERNETES_SERVICE_HOST/PORT and the mounted token, CA and namespace.</summary>
    public static KubernetesClientConfiguration InCluster(KubernetesConfigurationSources? sources = null)
    {
        sources ??= new KubernetesConfigurationSources();
        var host = sources.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST");
        var port = sources.GetEnvironmentVariable("KUBERNETES_SERVICE_PORT");
        if (string.IsNullOrEmpty(host) || string.IsNullOrEmpty(port))
        {
            throw new KubernetesConfigurationException(
                "Not running in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must both be set.");
        }

        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var portNumber) || portNumber is < 1 or > 65535)
        {
            throw new KubernetesConfigurationException($"KUBERNETES_SERVICE_PORT '{port}' is not a TCP port.");
        }

        var directory = sources.ServiceAccountDirectory;
        var tokenPath = System.IO.Path.Combine(directory, "token");
        if (!File.Exists(tokenPath))
        {
            throw new KubernetesConfigurationException(
                $"Running in a cluster but the service-account token {tokenPath} does not exist; is automountServiceAccountToken disabled?");
        }

        // Like client-go, a missing CA bundle falls back to the system trust store rather than failing here.
        var caPath = System.IO.Path.Combine(directory, "ca.crt");
        var authorities = File.Exists(caPath) ? LoadPem(File.ReadAllText(caPath), caPath) : [];
        var namespacePath = System.IO.Path.Combine(directory, "namespace");
        var ns = File.Exists(namespacePath) ? File.ReadAllText(namespacePath).Trim() : "";

        return new KubernetesClientConfiguration
        {
            Server = new UriBuilder(Uri.UriSchemeHttps, host, portNumber).Uri,
            Namespace = ns.Length > 0 ? ns : "default",
            TokenProvider = new FileTokenProvider(tokenPath, sources.TimeProvider),
            CertificateAuthorities = authorities,
            Source = "in-cluster service account",
        };
    }

    /// <summary>A configuration from one kubeconfig file, using <paramref name="context"/> or its current-context.</summary>
    public static KubernetesClientConfiguration FromKubeconfigFile(string path, string? context = null, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new KubernetesConfigurationException($"The kubeconfig file {path} does not exist.");
        }

        return FromKubeconfig(Kubeconfig.Load([path]), path, context, timeProvider ?? TimeProvider.System);
    }

    /// <summary>A configuration from kubeconfig text; relative file references resolve against <paramref name="baseDirectory"/>.</summary>
    public static KubernetesClientConfiguration FromKubeconfigYaml(string yaml, string? context = null, string? baseDirectory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        return FromKubeconfig(Kubeconfig.Parse(yaml, "kubeconfig", baseDirectory), "kubeconfig", context, timeProvider ?? TimeProvider.System);
    }

    /// <summary>The full pipeline: bearer-token authentication (when configured) over <see cref="CreatePrimaryHttpMessageHandler"/>.</summary>
    public HttpMessageHandler CreateHttpMessageHandler()
    {
        var primary = CreatePrimaryHttpMessageHandler();
        return TokenProvider is null ? primary : new BearerTokenHandler(TokenProvider) { InnerHandler = primary };
    }

    /// <summary>The transport: TLS trust anchored in the configured CA bundle, the client certificate, the proxy.</summary>
    public SocketsHttpHandler CreatePrimaryHttpMessageHandler()
    {
        var handler = new SocketsHttpHandler
        {
            // Re-resolve the server name now and then (API server endpoints move during upgrades).
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            AutomaticDecompression = DecompressionMethods.GZip,
            UseProxy = Proxy is not null,
            Proxy = Proxy is null ? null : new WebProxy(Proxy),
        };

        var ssl = handler.SslOptions;
        if (ClientCertificate is not null)
        {
            var certificate = ClientCertificate;
            ssl.ClientCertificates = [certificate];

            // The API server does not always list acceptable issuers; offer the certificate regardless.
            ssl.LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate;
        }

        if (!SkipTlsVerify && CertificateAuthorities.Count > 0)
        {
            var policy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
            };
            policy.CustomTrustStore.AddRange(CertificateAuthorities);
            ssl.CertificateChainPolicy = policy;
        }

        var skipVerify = SkipTlsVerify;
        var serverName = TlsServerName;
        if (skipVerify || serverName is not null)
        {
            ssl.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                if (skipVerify)
                {
                    return true;
                }

                // The chain was already checked against the policy above; only the name check moves to tls-server-name.
                return (errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) == SslPolicyErrors.None
                    && certificate is X509Certificate2 leaf
                    && leaf.MatchesHostname(serverName!);
            };
        }

        return handler;
    }

    private static KubernetesClientConfiguration FromKubeconfig(Kubeconfig config, string source, string? contextName, TimeProvider timeProvider)
    {
        var available = config.Contexts.Count == 0 ? "none" : string.Join(", ", config.Contexts.Keys.Order(StringComparer.Ordinal));
        var name = string.IsNullOrEmpty(contextName) ? config.CurrentContext : contextName;
        if (name is null)
        {
            throw new KubernetesConfigurationException($"{source}: no current-context is set and no context was given (contexts: {available}).");
        }

        if (!config.Contexts.TryGetValue(name, out var context))
        {
            throw new KubernetesConfigurationException($"{source}: context \"{name}\" does not exist (contexts: {available}).");
        }

        if (string.IsNullOrEmpty(context.Cluster) || !config.Clusters.TryGetValue(context.Cluster, out var cluster))
        {
            throw new KubernetesConfigurationException($"{source}: context \"{name}\" refers to cluster \"{context.Cluster}\", which is not defined.");
        }

        if (string.IsNullOrEmpty(cluster.Server) || !Uri.TryCreate(cluster.Server, UriKind.Absolute, out var server) || (server.Scheme != Uri.UriSchemeHttps && server.Scheme != Uri.UriSchemeHttp))
        {
            throw new KubernetesConfigurationException($"{cluster.Source}: cluster \"{context.Cluster}\" needs a server URL (https://host:port), got \"{cluster.Server}\".");
        }

        KubeconfigUser? user = null;
        if (!string.IsNullOrEmpty(context.User) && !config.Users.TryGetValue(context.User, out user))
        {
            throw new KubernetesConfigurationException($"{source}: context \"{name}\" refers to user \"{context.User}\", which is not defined.");
        }

        var what = $"user \"{context.User}\" in {user?.Source}";
        return new KubernetesClientConfiguration
        {
            Server = server,
            Namespace = string.IsNullOrEmpty(context.Namespace) ? "default" : context.Namespace,
            TokenProvider = user is null ? null : CreateTokenProvider(user, what, timeProvider),
            ClientCertificate = user is null ? null : LoadClientCertificate(user, what),
            CertificateAuthorities = LoadAuthorities(cluster, $"cluster \"{context.Cluster}\" in {cluster.Source}"),
            SkipTlsVerify = cluster.InsecureSkipTlsVerify,
            TlsServerName = string.IsNullOrEmpty(cluster.TlsServerName) ? null : cluster.TlsServerName,
            Proxy = string.IsNullOrEmpty(cluster.ProxyUrl) ? null : new Uri(cluster.ProxyUrl),
            Source = $"{source} (context {name})",
        };
    }

    private static ITokenProvider? CreateTokenProvider(KubeconfigUser user, string what, TimeProvider timeProvider)
    {
        // As in client-go, a token file is re-read and so takes precedence over a literal token.
        if (!string.IsNullOrEmpty(user.TokenFile))
        {
            if (!File.Exists(user.TokenFile))
            {
                throw new KubernetesConfigurationException($"{what}: tokenFile {user.TokenFile} does not exist.");
            }

            return new FileTokenProvider(user.TokenFile, timeProvider);
        }

        if (!string.IsNullOrEmpty(user.Token))
        {
            return new StaticTokenProvider(user.Token);
        }

        var hasCertificate = !string.IsNullOrEmpty(user.ClientCertificate) || !string.IsNullOrEmpty(user.ClientCertificateData);
        if (!hasCertificate && user.Exec is not null)
        {
            throw new KubernetesConfigurationException(
                $"{what} authenticates with an exec credential plugin ({user.Exec.Command}), which is not supported; " +
                "use a token, tokenFile or client certificate, or run in-cluster.");
        }

        if (!hasCertificate && user.AuthProvider is not null)
        {
            throw new KubernetesConfigurationException(
                $"{what} uses the auth-provider \"{user.AuthProvider.Name}\", which is not supported; use a token, tokenFile or client certificate.");
        }

        if (!hasCertificate && !string.IsNullOrEmpty(user.Username))
        {
            throw new KubernetesConfigurationException($"{what} uses basic authentication (username/password), which Kubernetes no longer supports.");
        }

        return null;
    }

    private static X509Certificate2? LoadClientCertificate(KubeconfigUser user, string what)
    {
        var certificatePem = ReadPem(user.ClientCertificateData, user.ClientCertificate, $"{what}: client-certificate");
        var keyPem = ReadPem(user.ClientKeyData, user.ClientKey, $"{what}: client-key");
        if (certificatePem is null && keyPem is null)
        {
            return null;
        }

        if (certificatePem is null || keyPem is null)
        {
            throw new KubernetesConfigurationException($"{what}: a client certificate needs both the certificate and its key; only the {(certificatePem is null ? "key" : "certificate")} is given.");
        }

        try
        {
            var certificate = X509Certificate2.CreateFromPem(certificatePem, keyPem);
            if (!OperatingSystem.IsWindows())
            {
                return certificate;
            }

            // SChannel cannot use an ephemeral key for client authentication; a PKCS#12 round trip persists it.
            using (certificate)
            {
                return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
            }
        }
        catch (CryptographicException ex)
        {
            throw new KubernetesConfigurationException($"{what}: the client certificate and key are not a valid PEM certificate/private-key pair: {ex.Message}", ex);
        }
    }

    private static X509Certificate2Collection LoadAuthorities(KubeconfigCluster cluster, string what)
    {
        var pem = ReadPem(cluster.CertificateAuthorityData, cluster.CertificateAuthority, $"{what}: certificate-authority");
        return pem is null ? [] : LoadPem(pem, what);
    }

    private static X509Certificate2Collection LoadPem(string pem, string what)
    {
        var collection = new X509Certificate2Collection();
        try
        {
            collection.ImportFromPem(pem);
        }
        catch (CryptographicException ex)
        {
            throw new KubernetesConfigurationException($"{what}: the CA bundle is not valid PEM: {ex.Message}", ex);
        }

        return collection.Count > 0 ? collection : throw new KubernetesConfigurationException($"{what}: the CA bundle contains no certificate.");
    }

    /// <summary>PEM text from a base64 *-data field or, failing that, a file.</summary>
    private static string? ReadPem(string? base64Data, string? path, string what)
    {
        if (!string.IsNullOrEmpty(base64Data))
        {
            try
            {
                return Encoding.UTF8.GetString(Convert.FromBase64String(base64Data));
            }
            catch (FormatException ex)
            {
                throw new KubernetesConfigurationException($"{what}-data is not valid base64.", ex);
            }
        }

        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new KubernetesConfigurationException($"{what} file {path} cannot be read: {ex.Message}", ex);
        }
    }
}

/// <summary>The inputs of <see cref="KubernetesClientConfiguration.Load"/>, replaceable so tests need no real environment.</summary>
public sealed record KubernetesConfigurationSources
{
    /// <summary>An explicit kubeconfig path (the --kubeconfig flag); it must exist.</summary>
    public string? KubeconfigPath { get; init; }

    /// <summary>A context name to use instead of current-context (the --context flag).</summary>
    public string? Context { get; init; }

    public Func<string, string?> GetEnvironmentVariable { get; init; } = Environment.GetEnvironmentVariable;

    public string? HomeDirectory { get; init; } = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    public string ServiceAccountDirectory { get; init; } = KubernetesClientConfiguration.DefaultServiceAccountDirectory;

    /// <summary>Clock for token-file refresh.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
