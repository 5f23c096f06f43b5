using System.Text.Json.Nodes;
using Reconciler.Core.Platform;

namespace Reconciler.Platform.Client.Tests;

/// <summary>The client against the real reference platform over loopback HTTP: the contract's semantics end to end.</summary>
public sealed class ReferencePlatformIntegrationTests : IAsyncLifetime
{
    private const string Token = "tok-integration-0123456789";
    private static readonly ChangeReason Reason = new("reconciler: client integration test", "req-int");
    private RunningPlatform _platform = null!;
    private ClientFactory _factory = null!;
    private string _directory = null!;

    public async Task InitializeAsync()
    {
        _directory = Path.Combine(Path.GetTempPath(), "reconciler-client-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        _platform = await PlatformServer.StartAsync(new PlatformServerOptions
        {
            Database = new DatabaseOptions { ConnectionString = Path.Combine(_directory, "platform.db") },
            Tokens = [PlatformToken.Admin("client-tests", Token)],
        });
        _factory = new ClientFactory(_platform.BaseUrl, Token);
    }

    public async Task DisposeAsync()
    {
        _factory.Dispose();
        await _platform.DisposeAsync();
    }

    [Fact]
    public async Task CreateReplaceDelete_FollowTheContract()
    {
        var client = _factory.Client;
        var body = new JsonObject { ["name"] = "lead", ["displayName"] = "Lead", ["permissions"] = new JsonArray("inbox.view"), ["labels"] = new JsonObject { ["reconciler.dev/managed-by"] = "reconciler" } };

        var created = await client.CreateAsync("roles", body, "idem-1", Reason, CancellationToken.None);
        var replayed = await client.CreateAsync("roles", body, "idem-1", Reason, CancellationToken.None);
        var duplicate = await client.CreateAsync("roles", body, "idem-2", Reason, CancellationToken.None);
        var stale = await client.ReplaceAsync("roles", created.Value!.Id, 99, body, Reason, CancellationToken.None);
        var replaced = await client.ReplaceAsync("roles", created.Value.Id, created.Value.Version, body, Reason, CancellationToken.None);
        var listed = await client.ListAsync("roles", CancellationToken.None);
        var audit = await client.ListAuditEventsAsync(new AuditQuery(ObjectId: created.Value.Id), CancellationToken.None);
        var deleted = await client.DeleteAsync("roles", created.Value.Id, replaced.Value!.Version, Reason, CancellationToken.None);
        var gone = await client.GetAsync("roles", created.Value.Id, CancellationToken.None);
        var builtIn = listed.Value!.Single(r => r.Key == "admin");
        var builtInDelete = await client.DeleteAsync("roles", builtIn.Id, builtIn.Version, Reason, CancellationToken.None);

        created.IsOk.Should().BeTrue(created.Message);
        created.Value.Labels.Should().Contain("reconciler.dev/managed-by", "reconciler");
        replayed.Value!.Id.Should().Be(created.Value.Id, "the same idempotency key replays the first create");
        duplicate.Outcome.Should().Be(PlatformOutcome.Conflict);
        duplicate.ExistingId.Should().Be(created.Value.Id);
        stale.Outcome.Should().Be(PlatformOutcome.PreconditionFailed);
        replaced.IsOk.Should().BeTrue(replaced.Message);
        listed.Value!.Count(r => r.Key == "lead").Should().Be(1);
        audit.Value!.Should().NotBeEmpty().And.OnlyContain(e => e.Reason == Reason.Text && e.Actor == "client-tests");
        deleted.IsOk.Should().BeTrue(deleted.Message);
        gone.Outcome.Should().Be(PlatformOutcome.NotFound);
        builtInDelete.Outcome.Should().Be(PlatformOutcome.Conflict);
    }

    [Fact]
    public async Task AuditSince_AnObjectsUpdatedAt_ReturnsItsLastEventButNotTheHistoryBefore()
    {
        var client = _factory.Client;
        var body = new JsonObject { ["name"] = "since", ["displayName"] = "Since", ["permissions"] = new JsonArray("inbox.view") };
        var created = (await client.CreateAsync("roles", body, "idem-since", Reason, CancellationToken.None)).Value!;
        body["displayName"] = "Since, renamed";
        var replaced = (await client.ReplaceAsync("roles", created.Id, created.Version, body, Reason, CancellationToken.None)).Value!;
        var updatedAt = DateTimeOffset.Parse(replaced.Fields["updatedAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);

        var since = await client.ListAuditEventsAsync(new AuditQuery(Collection: "roles", Since: updatedAt), CancellationToken.None);

        since.IsOk.Should().BeTrue(since.Message);
        since.Value!.Should().ContainSingle("the seeded roles and the create are older than the update").Which.Action.Should().Be("update");
        since.Value![0].ObjectId.Should().Be(created.Id);
    }

    [Fact]
    public async Task AWrongToken_IsUnauthorizedNotNotFound()
    {
        using var stranger = new ClientFactory(_platform.BaseUrl, "tok-wrong-0123456789");

        var result = await stranger.Client.ListAsync("agents", CancellationToken.None);

        result.Outcome.Should().Be(PlatformOutcome.Unauthorized);
    }

    [Fact]
    public async Task ListAndOrganization_ReadTheWholeState()
    {
        (await _factory.Client.GetOrganizationAsync(CancellationToken.None)).Value!.Version.Should().BeGreaterThan(0);
        (await _factory.Client.ListPermissionsAsync(CancellationToken.None)).Value.Should().Contain("inbox.view");
    }
}
