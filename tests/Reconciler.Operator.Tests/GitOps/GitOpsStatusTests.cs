using System.Text.Json.Nodes;
using Reconciler.Operator.Kinds;
using Reconciler.Operator.Tests.EndToEnd;

namespace Reconciler.Operator.Tests.GitOps;

/// <summary>
/// What each outcome of the operator writes, and how a GitOps tool reads it: kstatus's verdict (Flux's wait and
/// healthChecks, kubectl wait) through <see cref="KStatus"/>. Failures only a change heals must read Failed, so Flux
/// fails fast instead of waiting out its timeout; failures time heals must read InProgress, never Current.
/// </summary>
public sealed class GitOpsStatusTests
{
    /// <summary>One outcome: how to reach it, when it is reached (by the conditions that existed before kstatus's), and what it must read as.</summary>
    private sealed record Outcome(
        string Kind,
        string Name,
        Func<OperatorFixture, Task> Arrange,
        Func<JsonObject, bool> Reached,
        string? Ready,
        string? Reconciling,
        string? Stalled,
        string? Reason,
        KStatusVerdict Verdict);

    private static readonly JsonObject Weekly = new()
    {
        ["timezone"] = "Europe/Berlin",
        ["weekly"] = new JsonArray(new JsonObject { ["days"] = new JsonArray("Monday"), ["opens"] = "08:00", ["closes"] = "18:00" }),
    };

    private static JsonObject TagGroup() => new()
    {
        ["displayName"] = "Priority",
        ["appliesTo"] = "Chats",
        ["tags"] = new JsonArray(new JsonObject { ["name"] = "vip", ["color"] = "#ff0000" }),
    };

    private static readonly Dictionary<string, Outcome> Outcomes = new()
    {
        // Synced: Ready, and neither abnormal-true condition present.
        ["synced"] = new("TagGroup", "priority",
            async f => { await f.ConnectAsync(); await f.CreateAsync("TagGroup", "priority", TagGroup()); },
            r => Condition(r, "Synced") == ("True", "ReconcileSuccess"),
            Ready: "True", Reconciling: null, Stalled: null, Reason: null, KStatusVerdict.Current),

        // The platform does not answer: the PlatformConnection retries, and says so.
        ["transient platform error"] = new("PlatformConnection", "platform",
            async f =>
            {
                await f.CreateSecretAsync("reconciler-platform-token", "token", OperatorFixture.OperatorToken);
                await f.CreateAsync("PlatformConnection", "platform", Connection("http://127.0.0.1:9/"));
            },
            r => Condition(r, "Ready") == ("False", "PlatformUnavailable"),
            Ready: "False", Reconciling: "True", Stalled: null, Reason: "PlatformUnavailable", KStatusVerdict.InProgress),

        // No PlatformConnection yet: the resource waits for one.
        ["waiting for connection"] = new("TagGroup", "priority",
            f => f.CreateAsync("TagGroup", "priority", TagGroup()),
            r => Condition(r, "Synced") == ("False", "PlatformUnavailable"),
            Ready: "False", Reconciling: "True", Stalled: null, Reason: "PlatformUnavailable", KStatusVerdict.InProgress),

        // An invalid spec: only a change in git helps.
        ["invalid spec"] = new("OfficeHours", "broken",
            async f =>
            {
                await f.ConnectAsync();
                var spec = Weekly.DeepClone().AsObject();
                spec["timezone"] = "Mars/Olympus";
                await f.CreateAsync("OfficeHours", "broken", spec);
            },
            r => Condition(r, "Synced") == ("False", "ValidationFailed"),
            Ready: "False", Reconciling: null, Stalled: "True", Reason: "ValidationFailed", KStatusVerdict.Failed),

        // A reference nobody declared (yet): Flux applies a batch in its own order, so it is waited for, not failed on.
        ["missing reference"] = new("BusinessUnit", "support",
            async f =>
            {
                await f.ConnectAsync();
                await f.CreateAsync("BusinessUnit", "support", new JsonObject { ["displayName"] = "Support", ["officeHoursRef"] = new JsonObject { ["name"] = "emea" } });
            },
            r => Condition(r, "Synced") == ("False", "ReferenceNotFound"),
            Ready: "False", Reconciling: "True", Stalled: null, Reason: "ReferenceNotFound", KStatusVerdict.InProgress),

        // The platform refuses the write (403: the token may only read): retrying the same request cannot help.
        ["refused write"] = new("TagGroup", "priority",
            async f =>
            {
                await f.CreateSecretAsync("reconciler-platform-token", "token", OperatorFixture.ReaderToken);
                await f.CreateAsync("PlatformConnection", "platform", Connection(f.Platform.BaseUrl.AbsoluteUri));
                await f.CreateAsync("TagGroup", "priority", TagGroup());
            },
            r => Condition(r, "Synced") == ("False", "ReconcileError"),
            Ready: "False", Reconciling: null, Stalled: "True", Reason: "ReconcileError", KStatusVerdict.Failed),

        // Paused by its annotation: nothing happens until someone removes it; neither stuck nor working (Crossplane's
        // ReconcilePaused), so it reads as its Ready says: never synced here, so InProgress.
        ["paused"] = new("TagGroup", "priority",
            async f =>
            {
                await f.ConnectAsync();
                await f.CreateAsync("TagGroup", "priority", TagGroup(), new Dictionary<string, string> { [OperatorKinds.PausedAnnotation] = "true" });
            },
            r => Condition(r, "Synced") == ("False", "Paused"),
            Ready: "False", Reconciling: null, Stalled: null, Reason: "Paused", KStatusVerdict.InProgress),

        // Being deleted (another finalizer holds it once the operator released the platform object): kstatus says Terminating whatever the conditions say.
        ["deletion"] = new("TagGroup", "priority",
            async f =>
            {
                await f.ConnectAsync();
                await f.Client.CreateAsync(OperatorKinds.TypeOf("TagGroup"), new CustomResource
                {
                    Metadata = new Reconciler.Kubernetes.Models.ObjectMeta { Name = "priority", Namespace = OperatorFixture.Namespace, Finalizers = ["example.com/hold"] },
                    Spec = TagGroup(),
                });
                await OperatorFixture.EventuallyAsync(async () => OperatorFixture.IsSynced(await f.GetAsync("TagGroup", "priority")), "synced before the deletion");
                await f.Client.DeleteAsync(OperatorKinds.TypeOf("TagGroup"), OperatorFixture.Namespace, "priority");
            },
            r => r["metadata"]?["deletionTimestamp"] is not null && r["metadata"]?["finalizers"]?.AsArray().Count == 1,
            Ready: "True", Reconciling: null, Stalled: null, Reason: null, KStatusVerdict.Terminating),
    };

    [Theory]
    [InlineData("synced")]
    [InlineData("transient platform error")]
    [InlineData("waiting for connection")]
    [InlineData("invalid spec")]
    [InlineData("missing reference")]
    [InlineData("refused write")]
    [InlineData("paused")]
    [InlineData("deletion")]
    public async Task EachOutcome_WritesConditionsThatKStatusReadsAsItsGitOpsMeaning(string outcome)
    {
        var expected = Outcomes[outcome];
        await using var fixture = await OperatorFixture.StartAsync();
        fixture.StartOperator();
        await expected.Arrange(fixture);

        JsonObject? resource = null;
        await OperatorFixture.EventuallyAsync(() =>
        {
            resource = fixture.Kube.GetObject(OperatorKinds.TypeOf(expected.Kind), OperatorFixture.Namespace, expected.Name);
            return Task.FromResult(resource is not null && expected.Reached(resource));
        }, $"{expected.Kind}/{expected.Name} {outcome}");

        Condition(resource!, "Ready").Status.Should().Be(expected.Ready);
        Condition(resource!, "Reconciling").Status.Should().Be(expected.Reconciling, "Reconciling is present, and True, only while a retry is expected to help");
        Condition(resource!, "Stalled").Status.Should().Be(expected.Stalled, "Stalled is present, and True, only while nothing but a change can help");
        if (expected.Reason is not null)
            Condition(resource!, expected.Stalled is not null ? "Stalled" : expected.Reconciling is not null ? "Reconciling" : "Synced").Reason.Should().Be(expected.Reason);
        if (expected.Verdict != KStatusVerdict.Terminating)
            KStatus.Integer(resource!["status"]?["observedGeneration"]).Should().Be(KStatus.Integer(resource["metadata"]!["generation"]), "the verdict is about the spec as it is now");
        KStatus.Compute(resource!).Should().Be(expected.Verdict);
    }

    [Fact]
    public async Task AMissingReferenceThatIsDeclaredLater_Syncs_WithNoProgressConditionLeftOver()
    {
        await using var fixture = await OperatorFixture.StartAsync();
        fixture.StartOperator();
        await Outcomes["missing reference"].Arrange(fixture);
        await OperatorFixture.EventuallyAsync(() => Task.FromResult(Condition(Raw(fixture, "BusinessUnit", "support"), "Reconciling") == ("True", "ReferenceNotFound")), "waiting for the missing reference");

        await fixture.CreateAsync("OfficeHours", "emea", Weekly.DeepClone().AsObject());

        await OperatorFixture.EventuallyAsync(async () => OperatorFixture.IsSynced(await fixture.GetAsync("BusinessUnit", "support")), "synced once the reference exists");
        var resource = Raw(fixture, "BusinessUnit", "support");
        Condition(resource, "Reconciling").Status.Should().BeNull("a synced resource has no Reconciling condition left over");
        Condition(resource, "Stalled").Status.Should().BeNull("nor a Stalled one");
        KStatus.Compute(resource).Should().Be(KStatusVerdict.Current);
    }

    private static JsonObject Raw(OperatorFixture fixture, string kind, string name) =>
        fixture.Kube.GetObject(OperatorKinds.TypeOf(kind), OperatorFixture.Namespace, name)!;

    private static JsonObject Connection(string url) => new()
    {
        ["url"] = url,
        ["tokenSecretRef"] = new JsonObject { ["name"] = "reconciler-platform-token", ["key"] = "token" },
        ["requestsPerSecond"] = 1000,
    };

    private static (string? Status, string? Reason) Condition(JsonObject resource, string type)
    {
        var condition = (resource["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c["type"]?.GetValue<string>() == type);
        return (condition?["status"]?.GetValue<string>(), condition?["reason"]?.GetValue<string>());
    }
}
