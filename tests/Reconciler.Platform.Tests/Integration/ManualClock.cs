namespace Reconciler.Platform.Tests.Integration;

/// <summary>A clock the test moves by hand; the server reads it for timestamps and lifetimes (no timers depend on it).</summary>
internal sealed class ManualClock : TimeProvider
{
    public DateTimeOffset Now { get; set; }

    public override DateTimeOffset GetUtcNow() => Now;
}
