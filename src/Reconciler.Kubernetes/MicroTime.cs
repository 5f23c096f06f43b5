namespace Reconciler.Kubernetes;

/// <summary>Times the API server reads as metav1.MicroTime (Event eventTime, Lease acquireTime and renewTime).</summary>
internal static class MicroTime
{
    /// <summary>
    /// The library writes a time without fraction when it falls on a whole second, which the API server's MicroTime
    /// parser (layout with exactly six digits) rejects; one microsecond later is written with all six. The kind is kept.
    /// </summary>
    public static DateTime From(DateTime time) =>
        time.Ticks % TimeSpan.TicksPerSecond == 0 ? time.AddTicks(TimeSpan.TicksPerMicrosecond) : time;
}
