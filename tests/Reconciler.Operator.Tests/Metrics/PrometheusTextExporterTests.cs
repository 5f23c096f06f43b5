using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Reconciler.Operator.Metrics;

namespace Reconciler.Operator.Tests.Metrics;

public sealed class PrometheusTextExporterTests : IDisposable
{
    private readonly string meterName = "Test." + Guid.NewGuid().ToString("N");
    private readonly Meter meter;
    private readonly PrometheusTextExporter exporter;

    public PrometheusTextExporterTests()
    {
        exporter = new PrometheusTextExporter([meterName]);
        meter = new Meter(meterName);
    }

    public void Dispose()
    {
        meter.Dispose();
        exporter.Dispose();
    }

    [Fact]
    public void Counter_IsRenderedWithTotalSuffixHelpTypeAndSortedLabels()
    {
        var counter = meter.CreateCounter<long>("reconciler.reconcile", description: "Reconciles run.");
        counter.Add(2, new("result", "success"), new("kind", "Agent"));
        counter.Add(1, new("kind", "Agent"), new("result", "success"));
        counter.Add(1, new("kind", "Role"), new("result", "error"));

        var text = exporter.Render();

        text.Should().Contain("# HELP reconciler_reconcile_total Reconciles run.\n");
        text.Should().Contain("# TYPE reconciler_reconcile_total counter\n");
        text.Should().Contain("reconciler_reconcile_total{kind=\"Agent\",result=\"success\"} 3\n");
        text.Should().Contain("reconciler_reconcile_total{kind=\"Role\",result=\"error\"} 1\n");
    }

    [Fact]
    public void Histogram_HasCumulativeBucketsSumAndCount()
    {
        var histogram = meter.CreateHistogram<double>("reconciler.reconcile.duration", unit: "s");
        histogram.Record(0.003, new KeyValuePair<string, object?>("kind", "Agent"));
        histogram.Record(0.2, new KeyValuePair<string, object?>("kind", "Agent"));
        histogram.Record(40, new KeyValuePair<string, object?>("kind", "Agent"));

        var text = exporter.Render();

        text.Should().Contain("# TYPE reconciler_reconcile_duration_seconds histogram\n");
        text.Should().Contain("reconciler_reconcile_duration_seconds_bucket{kind=\"Agent\",le=\"0.005\"} 1\n");
        text.Should().Contain("reconciler_reconcile_duration_seconds_bucket{kind=\"Agent\",le=\"0.25\"} 2\n");
        text.Should().Contain("reconciler_reconcile_duration_seconds_bucket{kind=\"Agent\",le=\"30\"} 2\n");
        text.Should().Contain("reconciler_reconcile_duration_seconds_bucket{kind=\"Agent\",le=\"+Inf\"} 3\n");
        text.Should().Contain("reconciler_reconcile_duration_seconds_count{kind=\"Agent\"} 3\n");
        text.Should().Contain("reconciler_reconcile_duration_seconds_sum{kind=\"Agent\"} 40.203\n");
    }

    [Fact]
    public void UpDownCounterAndObservableGauge_AreGauges()
    {
        var depth = meter.CreateUpDownCounter<long>("reconciler.queue.depth");
        depth.Add(5);
        depth.Add(-2);
        var drifted = 7;
        meter.CreateObservableGauge("reconciler.drifted", () => new Measurement<int>(drifted, new KeyValuePair<string, object?>("kind", "Agent")));

        var text = exporter.Render();
        drifted = 4;
        var later = exporter.Render();

        text.Should().Contain("# TYPE reconciler_queue_depth gauge\nreconciler_queue_depth 3\n");
        text.Should().Contain("reconciler_drifted{kind=\"Agent\"} 7\n");
        later.Should().Contain("reconciler_drifted{kind=\"Agent\"} 4\n");
    }

    [Fact]
    public void LabelValues_AreEscaped()
    {
        meter.CreateCounter<long>("escapes").Add(1, new KeyValuePair<string, object?>("why", "a \"quoted\"\\path\nnext"));

        exporter.Render().Should().Contain("escapes_total{why=\"a \\\"quoted\\\"\\\\path\\nnext\"} 1\n");
    }

    [Fact]
    public void OtherMeters_AreNotExported()
    {
        using var other = new Meter("Other." + Guid.NewGuid().ToString("N"));
        other.CreateCounter<long>("foreign").Add(1);

        exporter.Render().Should().NotContain("foreign");
    }

    [Fact]
    public void WithAScope_OnlyMetersOfThatFactoryAreExported()
    {
        using var mine = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var theirs = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var myFactory = mine.GetRequiredService<IMeterFactory>();
        using var scoped = new PrometheusTextExporter([meterName], scope: myFactory);

        myFactory.Create(meterName).CreateCounter<long>("reconciles").Add(1);
        theirs.GetRequiredService<IMeterFactory>().Create(meterName).CreateCounter<long>("reconciles").Add(5);

        scoped.Render().Should().Contain("reconciles_total 1\n").And.NotContain("reconciles_total 5");
    }

    [Fact]
    public void Output_PassesPromtool_WhenPromtoolIsInstalled()
    {
        var promtool = new[] { "/usr/bin/promtool", "/usr/local/bin/promtool" }.FirstOrDefault(File.Exists);
        if (promtool is null)
        {
            // .ci/run installs promtool; a developer machine may not have it.
            return;
        }

        meter.CreateCounter<long>("reconciler.platform.requests", description: "Platform requests.").Add(1, new("method", "GET"), new("code", "200"));
        meter.CreateHistogram<double>("reconciler.reconcile.duration", unit: "s", description: "Reconcile duration.").Record(0.1);
        meter.CreateUpDownCounter<long>("reconciler.queue.depth", description: "Queue depth.").Add(1);

        var start = new ProcessStartInfo(promtool, "check metrics") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        process.StandardInput.Write(exporter.Render());
        process.StandardInput.Close();
        var problems = process.StandardError.ReadToEnd() + process.StandardOutput.ReadToEnd();
        process.WaitForExit();

        process.ExitCode.Should().Be(0, problems);
    }
}
