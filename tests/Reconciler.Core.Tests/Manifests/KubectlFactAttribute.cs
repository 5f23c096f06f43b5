namespace Reconciler.Core.Tests.Manifests;

/// <summary>A test whose oracle is the real kubectl; skipped, saying so, where it is not installed (.ci/run's machine has it).</summary>
public sealed class KubectlFactAttribute : FactAttribute
{
    public KubectlFactAttribute()
    {
        if (Kubectl.Path is null)
            Skip = "kubectl is not installed; these tests compare the CLI's reading of YAML with kubectl's";
    }
}

/// <summary>A table of cases whose oracle is the real kubectl; skipped, saying so, where it is not installed.</summary>
public sealed class KubectlTheoryAttribute : TheoryAttribute
{
    public KubectlTheoryAttribute()
    {
        if (Kubectl.Path is null)
            Skip = "kubectl is not installed; these tests compare the CLI's reading of YAML with kubectl's";
    }
}
