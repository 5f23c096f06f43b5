using System.Globalization;
using LibraryConfiguration = k8s.KubernetesClientConfiguration;

namespace Reconciler.Kubernetes.Configuration;

/// <summary>
/// A cluster connection: KubernetesClient's configuration (kubeconfig contexts, exec and auth-provider plugins,
/// client certificates, CA data and files, or the in-cluster service account), the namespace it implies, and
/// where it came from. This class only decides where to look, in controller-runtime's order, and turns the
/// library's failures into one-line messages.
/// </summary>
public sealed record KubernetesConnection(LibraryConfiguration Configuration, string Namespace, string Source)
{
    /// <summary>The mount point of a pod's service-account credentials.</summary>
    public const string DefaultServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";

    /// <summary>
    /// The explicit kubeconfig path (--kubeconfig), else the KUBECONFIG list (merged by the library), else the
    /// in-cluster service account, else ~/.kube/config.
    /// </summary>
    public static KubernetesConnection Load(KubernetesConfigurationSources? sources = null)
    {
        sources ??= new KubernetesConfigurationSources();
        if (!string.IsNullOrEmpty(sources.KubeconfigPath))
        {
            if (!File.Exists(sources.KubeconfigPath))
            {
                throw new KubernetesConfigurationException($"The kubeconfig file {sources.KubeconfigPath} given by --kubeconfig does not exist.");
            }

            return FromKubeconfigFiles([sources.KubeconfigPath], sources.Context);
        }

        var attempts = new List<string> { "--kubeconfig was not given" };
        var kubeconfigVariable = sources.GetEnvironmentVariable("KUBECONFIG");
        if (!string.IsNullOrWhiteSpace(kubeconfigVariable))
        {
            var existing = kubeconfigVariable.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Distinct(StringComparer.Ordinal)
                .Where(File.Exists)
                .ToList();
            if (existing.Count > 0)
            {
                return FromKubeconfigFiles(existing, sources.Context);
            }

            attempts.Add($"none of the files in KUBECONFIG ({kubeconfigVariable}) exist");
        }
        else
        {
            attempts.Add("KUBECONFIG is not set");
        }

        if (!string.IsNullOrEmpty(sources.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST")))
        {
            return InCluster(sources);
        }

        attempts.Add("not running in a cluster (KUBERNETES_SERVICE_HOST is not set)");
        if (sources.HomeDirectory is { Length: > 0 } home)
        {
            var defaultPath = Path.Combine(home, ".kube", "config");
            if (File.Exists(defaultPath))
            {
                return FromKubeconfigFiles([defaultPath], sources.Context);
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

    /// <summary>
    /// The in-cluster service account, as the library's InClusterConfig builds it, but from an injectable environment and
    /// directory, and with the token re-read as client-go re-reads it (<see cref="RotatingTokenFile"/>).
    /// </summary>
    public static KubernetesConnection InCluster(KubernetesConfigurationSources? sources = null)
    {
        sources ??= new KubernetesConfigurationSources();
        var host = sources.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST");
        var port = sources.GetEnvironmentVariable("KUBERNETES_SERVICE_PORT");
        if (string.IsNullOrEmpty(host) || string.IsNullOrEmpty(port))
        {
            throw new KubernetesConfigurationException("Not running in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must both be set.");
        }

        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var portNumber) || portNumber is < 1 or > 65535)
        {
            throw new KubernetesConfigurationException($"KUBERNETES_SERVICE_PORT '{port}' is not a TCP port.");
        }

        var directory = sources.ServiceAccountDirectory;
        var tokenPath = Path.Combine(directory, "token");
        if (!File.Exists(tokenPath))
        {
            throw new KubernetesConfigurationException(
                $"Running in a cluster but the service-account token {tokenPath} does not exist; is automountServiceAccountToken disabled?");
        }

        var caPath = Path.Combine(directory, "ca.crt");
        var namespacePath = Path.Combine(directory, "namespace");
        var ns = File.Exists(namespacePath) ? File.ReadAllText(namespacePath).Trim() : "";
        try
        {
            var configuration = new LibraryConfiguration
            {
                Host = new UriBuilder(Uri.UriSchemeHttps, host, portNumber).Uri.AbsoluteUri,
                TokenProvider = new RotatingTokenFile(tokenPath),

                // Like client-go, a missing CA bundle falls back to the system trust store rather than failing here.
                SslCaCerts = File.Exists(caPath) ? LoadPemFile(caPath) : null,
                Namespace = ns.Length > 0 ? ns : "default",
            };
            return new KubernetesConnection(configuration, configuration.Namespace, "in-cluster service account");
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or IOException or FormatException)
        {
            throw new KubernetesConfigurationException($"in-cluster service account: {caPath}: {KubernetesErrors.FirstLine(ex.Message)}", ex);
        }
    }

    /// <summary>One or more kubeconfig files, merged as kubectl does, using <paramref name="context"/> or the current-context.</summary>
    public static KubernetesConnection FromKubeconfigFiles(IReadOnlyList<string> paths, string? context = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var source = string.Join(Path.PathSeparator, paths);
        return Build(source, context, user => paths
            .Select(path => TokenFile(File.ReadAllText(path), user, Path.GetDirectoryName(Path.GetFullPath(path))!))
            .FirstOrDefault(found => found.Defined).Path, () =>
        {
            // kubectl's merge: the first file to set a value or to name a cluster, user or context wins. The library
            // merges the same way but only for the process's own KUBECONFIG variable, so it is done here per file.
            var merged = WithAbsolutePaths(LibraryConfiguration.LoadKubeConfig(new FileInfo(paths[0])));
            foreach (var path in paths.Skip(1))
            {
                var next = WithAbsolutePaths(LibraryConfiguration.LoadKubeConfig(new FileInfo(path)));
                merged.CurrentContext ??= next.CurrentContext;
                merged.Clusters = FirstByName(merged.Clusters, next.Clusters, cluster => cluster.Name);
                merged.Users = FirstByName(merged.Users, next.Users, user => user.Name);
                merged.Contexts = FirstByName(merged.Contexts, next.Contexts, c => c.Name);
            }

            return merged;
        });
    }

    /// <summary>Kubeconfig text, using <paramref name="context"/> or its current-context.</summary>
    public static KubernetesConnection FromKubeconfigYaml(string yaml, string? context = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        return Build("kubeconfig", context, user => TokenFile(yaml, user, Environment.CurrentDirectory).Path, () =>
        {
            using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(yaml));
            return LibraryConfiguration.LoadKubeConfig(stream);
        });
    }

    /// <summary>
    /// The context's user's tokenFile, read once now as client-go reads it when building a config: unreadable, it is an
    /// error, unless the user also has a token, which is then sent until the file can be read (as client-go falls back to
    /// it). A user with no token is given the file's, so that the library accepts the user as having credentials.
    /// </summary>
    private static RotatingTokenFile? UseTokenFile(k8s.KubeConfigModels.K8SConfiguration kubeconfig, string context, Func<string, string?> tokenFileOf, string source)
    {
        var userName = kubeconfig.Contexts.First(c => c.Name == context).ContextDetails?.User;
        var credentials = kubeconfig.Users?.FirstOrDefault(u => u.Name == userName)?.UserCredentials;
        if (userName is null || credentials is null || tokenFileOf(userName) is not { } path)
        {
            return null;
        }

        try
        {
            var token = File.ReadAllText(path).Trim();
            if (string.IsNullOrEmpty(credentials.Token))
            {
                credentials.Token = token;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException && string.IsNullOrEmpty(credentials.Token))
        {
            throw new KubernetesConfigurationException($"{source} (context {context}): the tokenFile {path} of user \"{userName}\" cannot be read: {KubernetesErrors.FirstLine(ex.Message)}", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new RotatingTokenFile(path, fallback: credentials.Token);
        }

        // Re-read as it rotates, as client-go's cached file token source: a rotated (bound, expiring) token needs no restart.
        return new RotatingTokenFile(path);
    }

    /// <summary>
    /// The file's relative certificate, key and exec command paths made absolute against its own directory, as kubectl
    /// resolves them before merging: the library resolves the first two against the first file's directory, and the
    /// command against the working directory.
    /// </summary>
    private static k8s.KubeConfigModels.K8SConfiguration WithAbsolutePaths(k8s.KubeConfigModels.K8SConfiguration kubeconfig)
    {
        var directory = Path.GetDirectoryName(kubeconfig.FileName)!;
        foreach (var endpoint in (kubeconfig.Clusters ?? []).Select(c => c.ClusterEndpoint).Where(e => !string.IsNullOrEmpty(e?.CertificateAuthority)))
        {
            endpoint.CertificateAuthority = Path.GetFullPath(endpoint.CertificateAuthority, directory);
        }

        foreach (var credentials in (kubeconfig.Users ?? []).Select(u => u.UserCredentials).OfType<k8s.KubeConfigModels.UserCredentials>())
        {
            if (!string.IsNullOrEmpty(credentials.ClientCertificate))
            {
                credentials.ClientCertificate = Path.GetFullPath(credentials.ClientCertificate, directory);
            }

            if (!string.IsNullOrEmpty(credentials.ClientKey))
            {
                credentials.ClientKey = Path.GetFullPath(credentials.ClientKey, directory);
            }

            // As client-go: an exec command with a separator in it is a path, relative to the kubeconfig; a bare name is looked up on PATH.
            if (credentials.ExternalExecution is { Command: { } command } exec && command.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                exec.Command = Path.GetFullPath(command, directory);
            }
        }

        return kubeconfig;
    }

    private static List<T> FirstByName<T>(IEnumerable<T>? first, IEnumerable<T>? second, Func<T, string> name) =>
        [.. (first ?? []).Concat(second ?? []).DistinctBy(name, StringComparer.Ordinal)];

    private static System.Security.Cryptography.X509Certificates.X509Certificate2Collection LoadPemFile(string path)
    {
        var certificates = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection();
        certificates.ImportFromPemFile(path);
        return certificates;
    }

    /// <summary>
    /// The user's tokenFile, which client-go honours and the library's kubeconfig model has no field for. Defined is whether
    /// this file names the user at all: as for every entry, the first file to define a user decides.
    /// </summary>
    private static (bool Defined, string? Path) TokenFile(string yaml, string user, string directory)
    {
        var entry = k8s.KubernetesYaml.Deserialize<TokenFileKubeconfig>(yaml)?.Users?.FirstOrDefault(u => u.Name == user);
        return entry is null ? (false, null)
            : (true, entry.User?.TokenFile is { Length: > 0 } file ? Path.GetFullPath(file, directory) : null);
    }

    private static KubernetesConnection Build(string source, string? context, Func<string, string?> tokenFileOf, Func<k8s.KubeConfigModels.K8SConfiguration> load)
    {
        k8s.KubeConfigModels.K8SConfiguration kubeconfig;
        try
        {
            kubeconfig = load();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new KubernetesConfigurationException($"{source}: not a readable kubeconfig: {KubernetesErrors.FirstLine(ex.Message)}", ex);
        }

        var name = string.IsNullOrEmpty(context) ? kubeconfig.CurrentContext : context;
        var available = kubeconfig.Contexts?.Select(c => c.Name).Order(StringComparer.Ordinal).ToList() ?? [];
        if (string.IsNullOrEmpty(name))
        {
            throw new KubernetesConfigurationException($"{source}: no current-context is set and no context was given (contexts: {(available.Count == 0 ? "none" : string.Join(", ", available))}).");
        }

        if (!available.Contains(name))
        {
            throw new KubernetesConfigurationException($"{source}: context \"{name}\" does not exist (contexts: {(available.Count == 0 ? "none" : string.Join(", ", available))}).");
        }

        var tokenFile = UseTokenFile(kubeconfig, name, tokenFileOf, source);
        try
        {
            var configuration = LibraryConfiguration.BuildConfigFromConfigObject(kubeconfig, name);
            if (tokenFile is not null)
            {
                configuration.TokenProvider = tokenFile;
            }

            return new KubernetesConnection(configuration, string.IsNullOrEmpty(configuration.Namespace) ? "default" : configuration.Namespace, $"{source} (context {name})");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The library throws plain exceptions too, e.g. for the retired azure and gcp auth providers.
            throw new KubernetesConfigurationException($"{source} (context {name}): {KubernetesErrors.FirstLine(ex.Message)}", ex);
        }
    }
}
