using Reconciler.Core.Engine;
using Reconciler.Core.Resources;
using static Reconciler.Core.Tests.Engine.Manifests;

namespace Reconciler.Core.Tests.Engine;

public sealed class ResourceSyncTests
{
    private static async Task<ObservedState> ObserveAsync(EngineHarness harness) =>
        (await new ReconcileEngine(harness.Platform, new NoSecretResolver()).ObserveAsync(CancellationToken.None)).Value!;

    private static ReconcileOneOptions Options(EngineHarness harness, DriftPolicy policy = DriftPolicy.Correct, string? syncedObjectId = null) => new()
    {
        Secrets = SecretValues.None,
        PendingCreates = harness.Pending,
        Reasons = change => new Core.Platform.ChangeReason($"reconciler: k8s acme/{change.Address.Name}"),
        DriftPolicy = policy,
        SyncedObjectId = syncedObjectId,
    };

    [Fact]
    public async Task ReconcileOne_CreatesThenIsUnchanged()
    {
        var harness = new EngineHarness();
        var maria = EngineHarness.Load(Agent("maria")).Single();

        var created = await ResourceSync.ReconcileAsync(maria, await ObserveAsync(harness), harness.Platform, Options(harness), CancellationToken.None);
        var again = await ResourceSync.ReconcileAsync(maria, await ObserveAsync(harness), harness.Platform, Options(harness), CancellationToken.None);

        created.Outcome.Should().Be(ResourceOutcome.Created);
        again.Should().Match<ResourceReconcileResult>(r => r.Outcome == ResourceOutcome.Unchanged && r.ObjectId == created.ObjectId);
    }

    [Fact]
    public async Task ReconcileOne_WithAnUnresolvedReference_IsARetryableReferenceNotFound()
    {
        var harness = new EngineHarness();
        var agent = EngineHarness.Load(Role("lead") + Agent("maria", role: "lead")).OfType<Agent>().Single();

        var result = await ResourceSync.ReconcileAsync(agent, await ObserveAsync(harness), harness.Platform, Options(harness), CancellationToken.None);

        result.Should().Match<ResourceReconcileResult>(r => r.Outcome == ResourceOutcome.Failed && r.Reason == "ReferenceNotFound" && r.Retryable);
    }

    [Fact]
    public async Task ReconcileOne_UnderReportPolicy_ReportsDriftWithoutWriting()
    {
        var harness = new EngineHarness();
        var maria = EngineHarness.Load(Agent("maria")).Single();
        var created = await ResourceSync.ReconcileAsync(maria, await ObserveAsync(harness), harness.Platform, Options(harness), CancellationToken.None);
        harness.Platform.Edit("agents", harness.Platform.All("agents").Single().Id, f => f["active"] = false, actor: "bob");
        var writes = harness.Platform.Writes;

        var result = await ResourceSync.ReconcileAsync(maria, await ObserveAsync(harness), harness.Platform, Options(harness, DriftPolicy.Report, created.ObjectId), CancellationToken.None);

        result.Reason.Should().Be("DriftDetected");
        result.Drift!.Actor.Should().Be("bob");
        result.Differences.Should().ContainSingle(f => f.Path == "active");
        harness.Platform.Writes.Should().Be(writes);
    }

    [Fact]
    public async Task ReconcileOne_UnderReportPolicy_ReportsDriftThatAGuardWouldHaveRefusedToCorrect()
    {
        var harness = new EngineHarness();
        var set = EngineHarness.Load(Role("owner", "agents.manage", "roles.manage", "sso.manage") + Role("helper", "inbox.view") + Agent("maria", role: "helper"));
        var observed = await ObserveAsync(harness);
        string? mariaId = null;
        foreach (var resource in set)
        {
            var created = await ResourceSync.ReconcileAsync(resource, observed, harness.Platform, Options(harness), CancellationToken.None);
            mariaId = created.ObjectId;
            observed = await ObserveAsync(harness);
        }

        // Someone makes Maria the only admin by hand; reverting that would leave no admin, which the admins guard refuses.
        var owner = harness.Platform.All("roles").Single(r => r.Key == "owner").Id;
        harness.Platform.Edit("agents", mariaId!, f => f["roleId"] = owner, actor: "bob");
        var writes = harness.Platform.Writes;

        var result = await ResourceSync.ReconcileAsync(set.OfType<Agent>().Single(), await ObserveAsync(harness), harness.Platform, Options(harness, DriftPolicy.Report, mariaId), CancellationToken.None);

        result.Reason.Should().Be("DriftDetected", "nothing would be written, so there is nothing for a guard to refuse");
        result.Drift!.Actor.Should().Be("bob");
        harness.Platform.Writes.Should().Be(writes);
    }

    [Fact]
    public async Task DeleteOne_DeletesOnlyMarkedObjects()
    {
        var harness = new EngineHarness();
        var maria = EngineHarness.Load(Agent("maria")).Single();
        await ResourceSync.ReconcileAsync(maria, await ObserveAsync(harness), harness.Platform, Options(harness), CancellationToken.None);

        var deleted = await ResourceSync.ReleaseAsync(maria.Id, null, DeletionPolicy.Delete, await ObserveAsync(harness), harness.Platform, new("reconciler: k8s acme/maria"), CancellationToken.None);

        deleted.Outcome.Should().Be(ReleaseOutcome.Deleted);
        harness.Platform.All("agents").Should().BeEmpty();
    }

    [Fact]
    public async Task ReleaseOne_UnderOrphan_DropsOnlyTheOwnershipLabels_InOneConditionalWrite()
    {
        var harness = new EngineHarness();
        var maria = EngineHarness.Load(Agent("maria")).Single();
        var created = await ResourceSync.ReconcileAsync(maria, await ObserveAsync(harness), harness.Platform, Options(harness), CancellationToken.None);
        var writes = harness.Platform.Writes;

        var released = await ResourceSync.ReleaseAsync(maria.Id, created.ObjectId, DeletionPolicy.Orphan, await ObserveAsync(harness), harness.Platform, new("reconciler: k8s acme/maria"), CancellationToken.None);

        released.Outcome.Should().Be(ReleaseOutcome.Orphaned);
        harness.Platform.Writes.Should().Be(writes + 1);
        var kept = harness.Platform.All("agents").Single();
        kept.Id.Should().Be(created.ObjectId);
        kept.Labels.Keys.Should().NotContain(k => k.StartsWith(Ownership.Prefix, StringComparison.Ordinal));
        Ownership.IsMarked(kept.Labels).Should().BeFalse("a later prune must not take it for Reconciler's");
    }

    private sealed class NoSecretResolver : ISecretResolver
    {
        public ValueTask<SecretLookup> ResolveAsync(SecretKeyRef reference, CancellationToken cancellationToken) => ValueTask.FromResult(SecretLookup.Missing("none"));
    }
}
