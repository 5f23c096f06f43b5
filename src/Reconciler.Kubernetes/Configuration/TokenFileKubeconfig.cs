namespace Reconciler.Kubernetes.Configuration;

/// <summary>The users of a kubeconfig, read only for their tokenFile, which the library's kubeconfig model leaves out.</summary>
internal sealed class TokenFileKubeconfig
{
    public List<NamedUser>? Users { get; set; }

    public sealed class NamedUser
    {
        public string? Name { get; set; }

        public Credentials? User { get; set; }
    }

    public sealed class Credentials
    {
        public string? TokenFile { get; set; }
    }
}
