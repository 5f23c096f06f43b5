namespace Reconciler.Core.Resources;

/// <summary>
/// A gauge the operator exports per resource from what its status shows (a channel's connection). <see cref="Read"/>
/// returns no reading when the resource has nothing to report (a disabled channel), which removes its series.
/// </summary>
public sealed record StatusGauge(string Name, string Description, Func<Resource, ResourceStatus, GaugeReading?> Read);
