namespace Reconciler.Kubernetes.Models;

/// <summary>Any Kubernetes object: type information plus standard object metadata.</summary>
public interface IKubernetesObject
{
    string ApiVersion { get; }

    string Kind { get; }

    ObjectMeta Metadata { get; }
}
