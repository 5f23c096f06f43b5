namespace Reconciler.Core.Resources;

/// <summary>The connection to the platform: one per set, not a platform object.</summary>
public static class PlatformConnectionKind
{
    public static readonly KindDescription<PlatformConnection> Description = new()
    {
        ApplyOrder = 0,
        IsSingleton = true,
        ExportFileName = "platformconnections.yaml",
    };
}
