using System.Globalization;

namespace Reconciler.Benchmarks;

/// <summary>One organisation size: the operator's initial sync, the CLI's apply, and the steady state after the sync.</summary>
internal sealed record ScaleRow
{
    public const string Header =
        "| agents | resources | operator sync s [CPU s; servers' CPU s] | CLI apply s [CPU s; platform's CPU s] | ratio (CPU ratio) | k8s writes/resource (finalizer+status+events) | platform requests sync (CLI apply) | steady: k8s writes / platform writes / platform requests |\n"
        + "|---|---|---|---|---|---|---|---|";

    public required int Agents { get; init; }

    public required int Resources { get; init; }

    public required double OperatorSeconds { get; init; }

    public required double OperatorCpuSeconds { get; init; }

    public double? CliSeconds { get; init; }

    public double? CliCpuSeconds { get; init; }

    /// <summary>CPU the platform (and nothing else) spent serving the CLI's apply.</summary>
    public double? CliServerCpuSeconds { get; init; }

    /// <summary>CPU the platform and the fake API server spent serving the operator's sync.</summary>
    public required double OperatorServerCpuSeconds { get; init; }

    public long? CliPlatformRequests { get; init; }

    public required int FinalizerWrites { get; init; }

    public required int StatusWrites { get; init; }

    public required int EventWrites { get; init; }

    public required long SyncPlatformRequests { get; init; }

    public required long SyncPlatformMutations { get; init; }

    public required int SteadyKubernetesWrites { get; init; }

    public required long SteadyPlatformWrites { get; init; }

    public required long SteadyPlatformRequests { get; init; }

    public required int SteadySeconds { get; init; }

    public required bool Ok { get; init; }

    public string? Failure { get; init; }

    public double? Ratio => CliSeconds is { } cli ? OperatorSeconds / cli : null;

    /// <summary>The operator's CPU over the CLI's: what the two cost, less distorted by other load on the machine than wall time.</summary>
    public double? CpuRatio => CliCpuSeconds is { } cli ? OperatorCpuSeconds / cli : null;

    public string Summary() => Ok
        ? string.Create(CultureInfo.InvariantCulture, $"{Agents:N0} agents ({Resources:N0} resources): operator {OperatorSeconds:F1} s (CPU {OperatorCpuSeconds:F1} s, servers {OperatorServerCpuSeconds:F1} s), CLI apply {Format(CliSeconds)} s (CPU {Format(CliCpuSeconds)} s, platform {Format(CliServerCpuSeconds)} s), ratio {Format(Ratio, "F2")}; "
            + $"initial sync k8s writes {FinalizerWrites} finalizer + {StatusWrites} status + {EventWrites} events; platform {SyncPlatformRequests} requests ({SyncPlatformMutations} mutations) vs CLI {CliPlatformRequests?.ToString(CultureInfo.InvariantCulture) ?? "-"}; "
            + $"steady {SteadySeconds} s: {SteadyKubernetesWrites} k8s writes, {SteadyPlatformWrites} platform writes, {SteadyPlatformRequests} platform requests")
        : string.Create(CultureInfo.InvariantCulture, $"{Agents:N0} agents: CLI apply {Format(CliSeconds)} s (CPU {Format(CliCpuSeconds)} s); operator FAILED: {Failure}");

    public string TableLine() => string.Create(CultureInfo.InvariantCulture,
        $"| {Agents:N0} | {Resources:N0} | {OperatorSeconds:F1} [{OperatorCpuSeconds:F1}; {OperatorServerCpuSeconds:F1}] | {Format(CliSeconds)} [{Format(CliCpuSeconds)}; {Format(CliServerCpuSeconds)}] | {Format(Ratio, "F2")} ({Format(CpuRatio, "F2")}) | "
        + $"{(double)(FinalizerWrites + StatusWrites + EventWrites) / Resources:F2} ({FinalizerWrites}+{StatusWrites}+{EventWrites}) | {SyncPlatformRequests} ({CliPlatformRequests?.ToString(CultureInfo.InvariantCulture) ?? "-"}) | "
        + $"{SteadyKubernetesWrites} / {SteadyPlatformWrites} / {SteadyPlatformRequests} in {SteadySeconds} s |{(Ok ? "" : " FAILED: " + Failure)}");

    private static string Format(double? value, string format = "F1") => value?.ToString(format, CultureInfo.InvariantCulture) ?? "-";
}
