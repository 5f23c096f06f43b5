namespace Reconciler.Core.Resources;

/// <summary>One value of a <see cref="StatusGauge"/> and the tags beyond the resource's namespace and name.</summary>
public sealed record GaugeReading(double Value, IReadOnlyList<KeyValuePair<string, string>> Tags);
