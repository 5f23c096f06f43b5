namespace Reconciler.Kubernetes.Configuration;

/// <summary>No usable connection settings: the message says what was tried and what to fix.</summary>
public sealed class KubernetesConfigurationException : Exception
{
    public KubernetesConfigurationException()
    {
    }

    public KubernetesConfigurationException(string message)
        : base(message)
    {
    }

    public KubernetesConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
