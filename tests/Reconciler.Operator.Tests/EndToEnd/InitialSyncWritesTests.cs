using Xunit.Abstractions;

namespace Reconciler.Operator.Tests.EndToEnd;

/// <summary>What the first sync of an organisation costs the API server: at most one finalizer and one status write per resource.</summary>
public sealed class InitialSyncWritesTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task InitialSync_WritesAtMostOneFinalizerAndOneStatusPerResource_AndOneEventPerChange(bool operatorRunsFirst)
    {
        await using var fixture = await OperatorFixture.StartAsync();
        if (operatorRunsFirst)
            fixture.StartOperator();
        var resources = await fixture.CreateExampleOrganisationAsync(resyncInterval: "10m");
        if (!operatorRunsFirst)
            fixture.StartOperator();
        await fixture.WaitForAllSyncedAsync(resources);
        await Task.Delay(TimeSpan.FromSeconds(2));

        var requests = fixture.Kube.Requests.Where(r => r.Resource != "leases" && r.Verb is "patch" or "update" or "create").ToList();
        var custom = requests.Where(r => r.Resource is not ("secrets" or "events")).ToList();
        var finalizerWrites = custom.Count(r => r.Verb is "patch" or "update" && r.Subresource is null);
        var statusWrites = custom.Count(r => r.Subresource == "status");
        var eventWrites = requests.Count(r => r.Resource == "events");
        var count = resources.Count;
        output.WriteLine($"initial sync of {count} resources ({(operatorRunsFirst ? "created while the operator runs" : "created before it starts")}): {finalizerWrites} finalizer writes, {statusWrites} status writes, {eventWrites} event writes: "
            + $"{(double)(finalizerWrites + statusWrites + eventWrites) / count:0.00} Kubernetes writes per resource");

        // Created while the operator runs, the example's agents arrive before the namespace's PlatformConnection and
        // report that (Synced=False PlatformUnavailable) first; on a loaded machine the connection can then be ready
        // before an agent's supervisor is even declared (ReferenceNotFound, Reconciling): real states, a write each.
        foreach (var group in custom.Where(r => r.Verb is "patch" or "update").GroupBy(r => (r.Resource, r.Name, r.Subresource)))
        {
            var allowed = operatorRunsFirst && group.Key.Subresource == "status" ? 3 : 1;
            group.Count().Should().BeLessThanOrEqualTo(allowed, $"{group.Key.Resource}/{group.Key.Name} {group.Key.Subresource ?? "finalizer"} is written at most {allowed} time(s) in the initial sync");
        }

        // A resource that passed through such a state (a status write more) may have reported it in a Warning event too,
        // once: the operator emits one Warning per distinct failure.
        var passedThrough = custom.Where(r => r.Subresource == "status").GroupBy(r => (r.Resource, r.Name)).Count(g => g.Count() > 1);
        eventWrites.Should().BeLessThanOrEqualTo(count + (operatorRunsFirst ? passedThrough : 0), "one event per change (each resource is created once), none for an unchanged success, and at most one Warning for a resource that was briefly unready");
    }
}
