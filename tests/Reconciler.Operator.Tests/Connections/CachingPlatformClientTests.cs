using System.Text.Json.Nodes;
using Reconciler.Core.Platform;
using Reconciler.Operator.Connections;

namespace Reconciler.Operator.Tests.Connections;

public sealed class CachingPlatformClientTests
{
    private static readonly PlatformObject Stored = new("agt_1", "ana@acme.example", 3, new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "reconciler" }, new JsonObject { ["displayName"] = "Ana" });

    public static TheoryData<string, PlatformObject, int> Answers => new()
    {
        { "a create answered whole", Stored, 0 },
        { "a create answered 201 naming the object only in Location", new PlatformObject("agt_1", "", 0, new Dictionary<string, string>(), []), 1 },
        { "a replace answered 204", new PlatformObject("", "", 0, new Dictionary<string, string>(), []), 1 },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task The_cache_keeps_the_object_the_platform_holds_whatever_the_write_was_answered_with(string write, PlatformObject answer, int reads)
    {
        var inner = new AnsweringClient(answer);
        var cache = new PlatformCache();
        var client = new CachingPlatformClient(inner, cache, new PlatformCallCounter(), new OwnRequestIds());
        var reason = new ChangeReason("test", "req-1");

        var result = write.StartsWith("a create", StringComparison.Ordinal)
            ? await client.CreateAsync("agents", [], "key", reason, CancellationToken.None)
            : await client.ReplaceAsync("agents", "agt_1", 2, [], reason, CancellationToken.None);

        result.IsOk.Should().BeTrue();
        cache.Find("agents", "agt_1").Should().BeEquivalentTo(Stored, write);
        cache.Find("agents", "").Should().BeNull();
        inner.Reads.Should().Be(reads);
    }

    /// <summary>A platform that answers every write with one answer and holds <see cref="Stored"/>.</summary>
    private sealed class AnsweringClient(PlatformObject answer) : IPlatformClient
    {
        public int Reads { get; private set; }

        public Task<PlatformResult<PlatformObject>> CreateAsync(string collection, JsonObject body, string idempotencyKey, ChangeReason reason, CancellationToken cancellationToken) =>
            Task.FromResult(PlatformResult<PlatformObject>.Ok(answer));

        public Task<PlatformResult<PlatformObject>> ReplaceAsync(string collection, string id, long expectedVersion, JsonObject body, ChangeReason reason, CancellationToken cancellationToken) =>
            Task.FromResult(PlatformResult<PlatformObject>.Ok(answer));

        public Task<PlatformResult<PlatformObject>> GetAsync(string collection, string id, CancellationToken cancellationToken)
        {
            Reads++;
            return Task.FromResult(id == Stored.Id ? PlatformResult<PlatformObject>.Ok(Stored) : PlatformResult<PlatformObject>.Fail(PlatformOutcome.NotFound, "no such object"));
        }

        public Task<PlatformResult<IReadOnlyList<PlatformObject>>> ListAsync(string collection, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<PlatformResult<PlatformObject>> GetOrganizationAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<PlatformResult<PlatformObject>> ReplaceOrganizationAsync(long expectedVersion, JsonObject body, ChangeReason reason, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<PlatformResult<PlatformObject?>> DeleteAsync(string collection, string id, long expectedVersion, ChangeReason reason, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<PlatformResult<IReadOnlyList<AuditRecord>>> ListAuditEventsAsync(AuditQuery query, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<PlatformResult<IReadOnlyList<string>>> ListPermissionsAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<PlatformResult<IReadOnlyList<string>>> ListPlaceholdersAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
