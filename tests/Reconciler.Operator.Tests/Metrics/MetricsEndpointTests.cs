using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Reconciler.Core.Resources;
using Reconciler.Operator.Kinds;
using Reconciler.Operator.Tests.EndToEnd;
using Xunit.Abstractions;

namespace Reconciler.Operator.Tests.Metrics;

/// <summary>/metrics over real HTTP, as Prometheus scrapes it: controller-runtime's names, and every series there before the first reconcile.</summary>
[Collection(ScrapingCollection.Name)]
public sealed partial class MetricsEndpointTests(ITestOutputHelper output)
{
    private static readonly string[] Controllers = [.. ResourceCatalog.Kinds.Select(k => k.Kind.ToLowerInvariant())];

    [Fact]
    public async Task BeforeTheFirstReconcile_EveryControllerSeriesIsThere_AtZero()
    {
        await using var fixture = await OperatorFixture.StartAsync();
        var host = fixture.StartOperator(leaderElection: true);
        await OperatorFixture.EventuallyAsync(() => Task.FromResult(host.Urls.Count > 0 && host.IsLeading), "the operator leading");
        var text = await host.ScrapeMetricsAsync();
        output.WriteLine(text);
        var samples = Samples(text);

        foreach (var controller in Controllers)
        {
            foreach (var result in new[] { "success", "error", "requeue", "requeue_after" })
                samples.Should().Contain(s => s.Name == "controller_runtime_reconcile_total" && s.Labels.Contains($"controller=\"{controller}\"") && s.Labels.Contains($"result=\"{result}\"") && s.Value == 0, $"{controller} × {result}");
            samples.Should().Contain(s => s.Name == "controller_runtime_reconcile_errors_total" && s.Labels.Contains($"controller=\"{controller}\"") && s.Value == 0);
            samples.Should().Contain(s => s.Name == "workqueue_adds_total" && s.Labels.Contains($"name=\"{controller}\""));
            samples.Should().Contain(s => s.Name == "workqueue_retries_total" && s.Labels.Contains($"name=\"{controller}\"") && s.Value == 0);
            samples.Should().Contain(s => s.Name == "workqueue_depth" && s.Labels.Contains($"name=\"{controller}\""));
        }

        samples.Should().Contain(s => s.Name == "leader_election_master_status" && s.Labels.Contains("name=\"reconciler-operator\"") && s.Value == 1);
        samples.Should().Contain(s => s.Name == "reconciler_build_info" && s.Labels.Contains("version=") && s.Value == 1);
        samples.Should().Contain(s => s.Name == "rest_client_requests_total" && s.Labels.Contains("code=\"200\"") && s.Labels.Contains("method=\"GET\""));

        // A standby replica reports its own state, not the leader's (each host has its own meters).
        var standby = fixture.StartOperator("op-2", leaderElection: true);
        await OperatorFixture.EventuallyAsync(() => Task.FromResult(standby.Urls.Count > 0), "the standby serving");
        Samples(await standby.ScrapeMetricsAsync()).Where(s => s.Name == "leader_election_master_status").Should().ContainSingle().Which.Value.Should().Be(0);
    }

    [Fact]
    public async Task AReconcile_IsCounted_AndItsObject_HasAnInfoSeries_UntilItIsDeleted()
    {
        await using var fixture = await OperatorFixture.StartAsync();
        var host = fixture.StartOperator(leaderElection: true);

        // No PlatformConnection: the TagGroup waits for one (Synced=False, PlatformUnavailable).
        await fixture.CreateAsync("TagGroup", "priority", new JsonObject
        {
            ["displayName"] = "Priority",
            ["appliesTo"] = "Chats",
            ["tags"] = new JsonArray(new JsonObject { ["name"] = "vip", ["color"] = "#ff0000" }),
        });
        await OperatorFixture.EventuallyAsync(
            async () => Samples(await host.ScrapeMetricsAsync()).Any(s => s.Name == "reconciler_resource_info" && s.Labels.Contains("name=\"priority\"") && s.Labels.Contains("synced=\"False\"")),
            "an info series for the waiting TagGroup");
        await OperatorFixture.EventuallyAsync(
            async () => Samples(await host.ScrapeMetricsAsync()).Any(s => s.Name == "controller_runtime_reconcile_total" && s.Labels.Contains("controller=\"taggroup\"") && s.Labels.Contains("result=\"requeue_after\"") && s.Value >= 1),
            "the reconcile counted (it ends after the status write the informer saw)");
        var samples = Samples(await host.ScrapeMetricsAsync());
        samples.Should().ContainSingle(s => s.Name == "reconciler_resource_info" && s.Labels.Contains("name=\"priority\""))
            .Which.Labels.Should().Contain("kind=\"TagGroup\"").And.Contain($"namespace=\"{OperatorFixture.Namespace}\"").And.Contain("ready=\"False\"");
        samples.Should().Contain(s => s.Name == "controller_runtime_reconcile_total" && s.Labels.Contains("controller=\"taggroup\"") && s.Labels.Contains("result=\"requeue_after\"") && s.Value >= 1);
        samples.Should().Contain(s => s.Name == "reconciler_reconcile_failures_total" && s.Labels.Contains("reason=\"PlatformUnavailable\"") && s.Value >= 1);
        samples.Should().Contain(s => s.Name == "controller_runtime_reconcile_time_seconds_count" && s.Labels.Contains("controller=\"taggroup\"") && s.Value >= 1);
        samples.Should().Contain(s => s.Name == "controller_runtime_reconcile_time_seconds_bucket" && s.Labels.Contains("le=\"0.005\""));
        samples.Should().Contain(s => s.Name == "controller_runtime_reconcile_time_seconds_bucket" && s.Labels.Contains("le=\"60\""));
        samples.Should().Contain(s => s.Name == "workqueue_adds_total" && s.Labels.Contains("name=\"taggroup\"") && s.Value >= 1);
        samples.Should().Contain(s => s.Name == "workqueue_queue_duration_seconds_count" && s.Labels.Contains("name=\"taggroup\"") && s.Value >= 1);
        samples.Should().Contain(s => s.Name == "workqueue_work_duration_seconds_bucket" && s.Labels.Contains("name=\"taggroup\"") && s.Labels.Contains("le=\"1000\""));

        // Connected, it syncs; deleted, its series goes.
        await fixture.ConnectAsync();
        await OperatorFixture.EventuallyAsync(
            async () => Samples(await host.ScrapeMetricsAsync()).Any(s => s.Name == "reconciler_resource_info" && s.Labels.Contains("name=\"priority\"") && s.Labels.Contains("ready=\"True\"") && s.Labels.Contains("synced=\"True\"")),
            "the info series showing the TagGroup Ready and Synced");
        var exposed = (await host.ScrapeMetricsAsync()).Split('\n').Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]).ToHashSet(StringComparer.Ordinal);
        foreach (var file in new[] { "deploy/prometheus/reconciler-alerts.yaml", "deploy/grafana/reconciler-dashboard.json" })
        {
            var used = UsedMetrics().Matches(await File.ReadAllTextAsync(Path.Combine(OperatorFixture.RepositoryRoot(), file)))
                .Select(m => HistogramSeries().Replace(m.Value, "")).ToHashSet(StringComparer.Ordinal);
            used.Should().NotBeEmpty();
            // A kind's status gauges have a series per object of that kind only (the channel test scrapes its own).
            var perObject = ResourceCatalog.Kinds.SelectMany(k => k.Description.Gauges).Select(g => g.Name);
            used.Except(exposed).Except(perObject).Should().BeEmpty($"every metric {file} uses is one the operator exposes");
        }

        await fixture.Client.DeleteAsync(OperatorKinds.TypeOf("TagGroup"), OperatorFixture.Namespace, "priority");
        await OperatorFixture.EventuallyAsync(
            async () => !(await host.ScrapeMetricsAsync()).Contains("name=\"priority\"", StringComparison.Ordinal), "the info series gone with its object");
    }

    [GeneratedRegex(@"\b(controller_runtime|workqueue|leader_election|rest_client|reconciler)_[a-z_]+\b")]
    private static partial Regex UsedMetrics();

    [GeneratedRegex("_(bucket|count|sum)$")]
    private static partial Regex HistogramSeries();

    private sealed record Sample(string Name, string Labels, double Value);

    private static List<Sample> Samples(string text) =>
        [.. text.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l =>
        {
            var brace = l.IndexOf('{', StringComparison.Ordinal);
            var nameEnd = brace >= 0 ? brace : l.IndexOf(' ', StringComparison.Ordinal);
            var labelsEnd = brace >= 0 ? l.LastIndexOf('}') + 1 : nameEnd;
            var rest = l[labelsEnd..].Trim().Split(' ');
            return new Sample(l[..nameEnd], l[nameEnd..labelsEnd], double.Parse(rest[0], System.Globalization.CultureInfo.InvariantCulture));
        })];
}
