namespace Reconciler.Cli.Tests.Plumbing;

/// <summary>A test that makes device nodes of its own; skipped, saying why, where this process may not make them.</summary>
public sealed class DeviceNodeFactAttribute : FactAttribute
{
    public DeviceNodeFactAttribute()
    {
        if (!FileNodes.CanMakeDevices)
            Skip = "making a device node needs root or CAP_MKNOD (mknod c 1 3 and c 1 7 in the test's own folder)";
    }
}
