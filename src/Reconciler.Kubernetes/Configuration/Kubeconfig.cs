using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Reconciler.Kubernetes.Configuration;

/// <summary>
/// The parts of a kubeconfig file this client understands, merged from one or more files with client-go's
/// rule: the first file that defines a named entry (or current-context) wins. Relative paths inside a file
/// are resolved against that file's directory before merging.
/// </summary>
internal sealed class Kubeconfig
{
    public string? CurrentContext { get; private set; }

    public Dictionary<string, KubeconfigCluster> Clusters { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, KubeconfigContext> Contexts { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, KubeconfigUser> Users { get; } = new(StringComparer.Ordinal);

    public static Kubeconfig Parse(string yaml, string source, string? baseDirectory)
    {
        KubeconfigFile file;
        try
        {
            var deserializer = new DeserializerBuilder().IgnoreUnmatchedProperties().Build();
            file = deserializer.Deserialize<KubeconfigFile?>(yaml) ?? new KubeconfigFile();
        }
        catch (YamlException ex)
        {
            throw new KubernetesConfigurationException($"{source} is not a valid kubeconfig (line {ex.Start.Line}): {ex.InnerException?.Message ?? ex.Message}", ex);
        }

        var config = new Kubeconfig();
        config.Merge(file, source, baseDirectory);
        return config;
    }

    public static Kubeconfig Load(IReadOnlyList<string> paths)
    {
        var config = new Kubeconfig();
        foreach (var path in paths)
        {
            string yaml;
            try
            {
                yaml = File.ReadAllText(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new KubernetesConfigurationException($"Cannot read kubeconfig {path}: {ex.Message}", ex);
            }

            var file = Parse(yaml, path, System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)));
            config.CurrentContext ??= file.CurrentContext;
            foreach (var (name, value) in file.Clusters)
            {
                config.Clusters.TryAdd(name, value);
            }

            foreach (var (name, value) in file.Contexts)
            {
                config.Contexts.TryAdd(name, value);
            }

            foreach (var (name, value) in file.Users)
            {
                config.Users.TryAdd(name, value);
            }
        }

        return config;
    }

    private void Merge(KubeconfigFile file, string source, string? baseDirectory)
    {
        CurrentContext = string.IsNullOrEmpty(file.CurrentContext) ? null : file.CurrentContext;
        foreach (var entry in file.Clusters ?? [])
        {
            var cluster = entry.Cluster ?? new KubeconfigCluster();
            cluster.Source = source;
            cluster.CertificateAuthority = Resolve(cluster.CertificateAuthority, baseDirectory);
            Clusters.TryAdd(RequireName(entry.Name, "cluster", source), cluster);
        }

        foreach (var entry in file.Contexts ?? [])
        {
            var context = entry.Context ?? new KubeconfigContext();
            context.Source = source;
            Contexts.TryAdd(RequireName(entry.Name, "context", source), context);
        }

        foreach (var entry in file.Users ?? [])
        {
            var user = entry.User ?? new KubeconfigUser();
            user.Source = source;
            user.TokenFile = Resolve(user.TokenFile, baseDirectory);
            user.ClientCertificate = Resolve(user.ClientCertificate, baseDirectory);
            user.ClientKey = Resolve(user.ClientKey, baseDirectory);
            Users.TryAdd(RequireName(entry.Name, "user", source), user);
        }
    }

    private static string RequireName(string? name, string what, string source) =>
        string.IsNullOrEmpty(name) ? throw new KubernetesConfigurationException($"{source}: a {what} entry has no name.") : name;

    private static string? Resolve(string? path, string? baseDirectory) =>
        string.IsNullOrEmpty(path) || baseDirectory is null || System.IO.Path.IsPathRooted(path)
            ? path
            : System.IO.Path.GetFullPath(System.IO.Path.Combine(baseDirectory, path));
}

// YamlDotNet needs settable properties; these types never leave this file's loader.
internal sealed class KubeconfigFile
{
    [YamlMember(Alias = "current-context")]
    public string? CurrentContext { get; set; }

    [YamlMember(Alias = "clusters")]
    public List<NamedCluster>? Clusters { get; set; }

    [YamlMember(Alias = "contexts")]
    public List<NamedContext>? Contexts { get; set; }

    [YamlMember(Alias = "users")]
    public List<NamedUser>? Users { get; set; }
}

internal sealed class NamedCluster
{
    [YamlMember(Alias = "name")]
    public string? Name { get; set; }

    [YamlMember(Alias = "cluster")]
    public KubeconfigCluster? Cluster { get; set; }
}

internal sealed class NamedContext
{
    [YamlMember(Alias = "name")]
    public string? Name { get; set; }

    [YamlMember(Alias = "context")]
    public KubeconfigContext? Context { get; set; }
}

internal sealed class NamedUser
{
    [YamlMember(Alias = "name")]
    public string? Name { get; set; }

    [YamlMember(Alias = "user")]
    public KubeconfigUser? User { get; set; }
}

internal sealed class KubeconfigCluster
{
    [YamlIgnore]
    public string Source { get; set; } = "";

    [YamlMember(Alias = "server")]
    public string? Server { get; set; }

    [YamlMember(Alias = "certificate-authority")]
    public string? CertificateAuthority { get; set; }

    [YamlMember(Alias = "certificate-authority-data")]
    public string? CertificateAuthorityData { get; set; }

    [YamlMember(Alias = "insecure-skip-tls-verify")]
    public bool InsecureSkipTlsVerify { get; set; }

    [YamlMember(Alias = "tls-server-name")]
    public string? TlsServerName { get; set; }

    [YamlMember(Alias = "proxy-url")]
    public string? ProxyUrl { get; set; }
}

internal sealed class KubeconfigContext
{
    [YamlIgnore]
    public string Source { get; set; } = "";

    [YamlMember(Alias = "cluster")]
    public string? Cluster { get; set; }

    [YamlMember(Alias = "user")]
    public string? User { get; set; }

    [YamlMember(Alias = "namespace")]
    public string? Namespace { get; set; }
}

internal sealed class KubeconfigUser
{
    [YamlIgnore]
    public string Source { get; set; } = "";

    [YamlMember(Alias = "token")]
    public string? Token { get; set; }

    [YamlMember(Alias = "tokenFile")]
    public string? TokenFile { get; set; }

    [YamlMember(Alias = "client-certificate")]
    public string? ClientCertificate { get; set; }

    [YamlMember(Alias = "client-certificate-data")]
    public string? ClientCertificateData { get; set; }

    [YamlMember(Alias = "client-key")]
    public string? ClientKey { get; set; }

    [YamlMember(Alias = "client-key-data")]
    public string? ClientKeyData { get; set; }

    [YamlMember(Alias = "username")]
    public string? Username { get; set; }

    [YamlMember(Alias = "exec")]
    public KubeconfigExec? Exec { get; set; }

    [YamlMember(Alias = "auth-provider")]
    public KubeconfigAuthProvider? AuthProvider { get; set; }
}

internal sealed class KubeconfigExec
{
    [YamlMember(Alias = "command")]
    public string? Command { get; set; }
}

internal sealed class KubeconfigAuthProvider
{
    [YamlMember(Alias = "name")]
    public string? Name { get; set; }
}
