namespace Reconciler.Kubernetes.Configuration;

/// <summary>The inputs of <see cref="KubernetesConnection.Load"/>, replaceable so tests need no real environment.</summary>
public sealed record KubernetesConfigurationSources
{
    /// <summary>An explicit kubeconfig path (the --kubeconfig flag); it must exist.</summary>
    public string? KubeconfigPath { get; init; }

    /// <summary>A context name to use instead of current-context (the --context flag).</summary>
    public string? Context { get; init; }

    public Func<string, string?> GetEnvironmentVariable { get; init; } = Environment.GetEnvironmentVariable;

    public string? HomeDirectory { get; init; } = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    public string ServiceAccountDirectory { get; init; } = KubernetesConnection.DefaultServiceAccountDirectory;
}
