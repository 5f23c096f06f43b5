using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Reconciler.Platform.Client;
using Reconciler.Platform.Contract;

namespace Reconciler.Operator.Tests.EndToEnd;

/// <summary>An audit line leads to the reconcile that wrote it: the operator's traceparent, stored by the real platform.</summary>
public sealed class TraceToAuditTests
{
    [Fact]
    public async Task ThePlatformWrite_AReconcileMakes_IsAudited_WithThatReconcilesTraceId()
    {
        var reconciles = new ConcurrentBag<Activity>();
        var platformRequests = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ReconcilerTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.OperationName == "reconcile TagGroup" && (string?)activity.GetTagItem("k8s.object.name") == "traced")
                    reconciles.Add(activity);
                else if (activity.OperationName == "POST tag-groups")
                    platformRequests.Add(activity);
            },
        };
        ActivitySource.AddActivityListener(listener);

        await using var fixture = await OperatorFixture.StartAsync();
        await fixture.ConnectAsync();
        fixture.StartOperator();
        await fixture.CreateAsync("TagGroup", "traced", new JsonObject
        {
            ["displayName"] = "Traced",
            ["appliesTo"] = "Chats",
            ["tags"] = new JsonArray(new JsonObject { ["name"] = "vip", ["color"] = "#ff0000" }),
        });
        await OperatorFixture.EventuallyAsync(async () => OperatorFixture.IsSynced(await fixture.GetAsync("TagGroup", "traced")), "TagGroup/traced synced");
        var id = (await fixture.GetAsync("TagGroup", "traced")).Status!["id"]!.GetValue<string>();

        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(fixture.Platform.BaseUrl, $"api/v1/audit-events?objectId={id}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", OperatorFixture.HumanToken);
        using var response = await http.SendAsync(request);
        var page = JsonSerializer.Deserialize<AuditEventPage>(await response.Content.ReadAsStringAsync(), WireJson.Options)!;
        var created = page.Items.Should().ContainSingle(e => e.Action == "create").Subject;

        created.TraceId.Should().MatchRegex("^[0-9a-f]{32}$");
        var reconcile = reconciles.Should().ContainSingle(a => a.TraceId.ToHexString() == created.TraceId, "the create was made by one reconcile of TagGroup/traced").Subject;
        reconcile.Parent.Should().BeNull("a reconcile is a root span");
        platformRequests.Should().Contain(r => r.TraceId == reconcile.TraceId && r.ParentSpanId == reconcile.SpanId, "the platform request is a child of the reconcile");
    }
}
