namespace Reconciler.Cli.Tests.Integration;

/// <summary>A test that needs kubectl (its kustomize reads the files offline); skipped, saying so, where it is not installed.</summary>
public sealed class KubectlFactAttribute : FactAttribute
{
    public KubectlFactAttribute()
    {
        if (Kustomize.Kubectl is null)
            Skip = "kubectl is not installed; the check of written manifests by go-yaml (kubectl kustomize) needs it";
    }
}
