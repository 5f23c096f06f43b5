using Microsoft.Extensions.Time.Testing;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using Reconciler.Core.Engine;
using static Reconciler.Core.Tests.Engine.Manifests;

namespace Reconciler.Core.Tests.Engine;

/// <summary>
/// The life of a pending create's key: a run killed after its create committed leaves the nonce behind (simulated by
/// restoring the file as it was before the run); later runs must neither report a create that did not happen nor
/// fail on a reused key.
/// </summary>
public sealed class PendingCreatesTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("reconciler-pending-").FullName;

    private string FilePath => Path.Combine(_directory, ".reconciler", "pending-creates.json");

    /// <summary>The store's file written as a test needs it; how it is replaced whole is the CLI's (Plumbing/StagedFile), tested there.</summary>
    internal static Task Replace(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        File.WriteAllBytesAsync(path, content, cancellationToken);

    [Fact]
    public async Task A_replayed_create_of_an_object_deleted_by_hand_creates_it_again()
    {
        var (harness, store) = await KilledAfterCommitAsync(Agent("maria"));
        var maria = harness.Platform.All("agents").Single();
        (await harness.Platform.DeleteAsync("agents", maria.Id, maria.Version, new("by hand"), CancellationToken.None)).IsOk.Should().BeTrue();

        var rerun = await harness.ApplyAsync(await harness.PlanAsync(Agent("maria")), pending: store);

        rerun.Results.Single().Outcome.Should().Be(ResourceOutcome.Created);
        harness.Platform.All("agents").Should().ContainSingle("the CLI never reports Created for an object that does not exist")
            .Which.Id.Should().NotBe(maria.Id);
        (await harness.PlanAsync(Agent("maria"))).Plan.HasChanges.Should().BeFalse();
    }

    [Fact]
    public async Task Observing_the_object_releases_its_pending_key()
    {
        var (harness, store) = await KilledAfterCommitAsync(Agent("maria"));
        File.ReadAllText(FilePath).Should().Contain("agents/maria@acme.example");

        var rerun = await harness.ApplyAsync(await harness.PlanAsync(Agent("maria")), pending: store);

        rerun.Succeeded.Should().BeTrue();
        File.ReadAllText(FilePath).Should().NotContain("agents/maria", "a run that sees the object forgets the key of its create");
    }

    [Fact]
    public async Task Nonces_reserved_ahead_release_what_the_plan_observed_and_spare_the_apply_a_second_reading()
    {
        var (harness, store) = await KilledAfterCommitAsync(Agent("maria"));
        var run = await harness.PlanAsync(Agent("maria") + Agent("ben"));

        var reserved = await PlanExecutor.ReserveCreatesAsync(run.Plan, store, CancellationToken.None);
        File.ReadAllText(FilePath).Should().NotContain("agents/maria", "the plan observed maria").And.Contain("agents/ben");
        var counted = new CountingStore(store);
        var applied = await harness.ApplyAsync(run, pending: counted, reserved: reserved);

        applied.Succeeded.Should().BeTrue();
        counted.Calls.Should().Equal(["release agents/ben@acme.example"], "the apply only forgets the creates it finished");
        File.ReadAllText(FilePath).Should().Be("{\"version\":2,\"pending\":{}}");
    }

    private sealed class CountingStore(IPendingCreateStore inner) : IPendingCreateStore
    {
        public List<string> Calls { get; } = [];

        public Task<IReadOnlyDictionary<string, string>> ReserveAsync(IReadOnlyCollection<string> operations, CancellationToken cancellationToken)
        {
            Calls.Add("reserve " + string.Join(" ", operations));
            return inner.ReserveAsync(operations, cancellationToken);
        }

        public Task<string> RenewAsync(string operation, CancellationToken cancellationToken)
        {
            Calls.Add("renew " + operation);
            return inner.RenewAsync(operation, cancellationToken);
        }

        public Task ReleaseAsync(IReadOnlyCollection<string> operations, CancellationToken cancellationToken)
        {
            Calls.Add("release " + string.Join(" ", operations));
            return inner.ReleaseAsync(operations, cancellationToken);
        }
    }

    [Fact]
    public async Task An_edited_manifest_sends_a_new_key_instead_of_reusing_the_old_one()
    {
        var (harness, store) = await KilledAfterCommitAsync(Agent("maria"));
        var maria = harness.Platform.All("agents").Single();
        await harness.Platform.DeleteAsync("agents", maria.Id, maria.Version, new("by hand"), CancellationToken.None);
        harness.Platform.Calls.Clear();

        var rerun = await harness.ApplyAsync(await harness.PlanAsync(Agent("maria", languages: "fr")), pending: store);

        rerun.Results.Single().Outcome.Should().Be(ResourceOutcome.Created);
        harness.Platform.All("agents").Single().Fields["languages"]!.AsArray().Select(l => l!.GetValue<string>()).Should().Equal("fr");
        harness.Platform.Calls.Should().NotContain(c => c.StartsWith("GET agents/", StringComparison.Ordinal), "a new body gets a new key, so nothing is replayed");
    }

    [Fact]
    public void The_key_depends_on_nonce_operation_and_body()
    {
        var nonce = IdempotencyKeys.NewNonce();
        var body = new JsonObject { ["email"] = "maria@acme.example" };

        IdempotencyKeys.Derive(nonce, "agents/maria", body).Should().Be(IdempotencyKeys.Derive(nonce, "agents/maria", (JsonObject)body.DeepClone()));
        IdempotencyKeys.Derive(nonce, "agents/maria", body).Should().NotBe(IdempotencyKeys.Derive(nonce, "agents/maria", new JsonObject { ["email"] = "other@acme.example" }));
        IdempotencyKeys.Derive(nonce, "agents/maria", body).Should().NotBe(IdempotencyKeys.Derive(nonce, "roles/maria", body));
        IdempotencyKeys.Derive(nonce, "agents/maria", body).Should().NotBe(IdempotencyKeys.Derive(IdempotencyKeys.NewNonce(), "agents/maria", body));
    }

    [Fact]
    public void The_key_is_the_hmac_of_operation_and_body_text_as_before()
    {
        // A nonce left by a killed run of an older build must give the key that build sent, so the platform replays.
        Gen.Select(Gen.String, Gen.String, Gen.String, Gen.Int).Sample((operation, name, tag, count) =>
        {
            var nonce = IdempotencyKeys.NewNonce();
            var body = new JsonObject { ["email"] = name, ["displayName"] = $"{name} <&> \"é\" \u2028 😀", ["labels"] = new JsonObject { [tag] = operation }, ["languages"] = new JsonArray(tag, count) };
            var written = Encoding.UTF8.GetBytes(operation + "\n" + body.ToJsonString());
            IdempotencyKeys.Derive(nonce, operation, body).Should().Be(Convert.ToHexStringLower(HMACSHA256.HashData(Convert.FromHexString(nonce), written).AsSpan(0, 20)));
        });
    }

    [Fact]
    public async Task Keys_older_than_a_day_are_dropped_so_the_file_stays_bounded()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-30T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var store = new FilePendingCreateStore(FilePath, PendingCreatesTests.Replace, clock);
        await store.ReserveAsync([.. Enumerable.Range(0, 100).Select(i => $"agents/a{i}")], CancellationToken.None);

        clock.Advance(TimeSpan.FromHours(25));
        var fresh = await store.ReserveAsync(["agents/new"], CancellationToken.None);

        fresh.Should().ContainSingle();
        File.ReadAllText(FilePath).Should().NotContain("agents/a0").And.Contain("agents/new");
    }

    [Fact]
    public async Task A_file_in_the_old_format_is_discarded_rather_than_trusted()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        await File.WriteAllTextAsync(FilePath, """{"agents/maria@acme.example":"0123456789abcdef0123456789abcdef"}""");

        var nonces = await new FilePendingCreateStore(FilePath, PendingCreatesTests.Replace).ReserveAsync(["agents/maria@acme.example"], CancellationToken.None);

        nonces.Single().Value.Should().NotBe("0123456789abcdef0123456789abcdef");
    }

    [Theory]
    [InlineData("""[1, 2]""")]
    [InlineData("""{"version":2,"pending":[]}""")]
    [InlineData("""{"version":2,"pending":{"agents/maria@acme.example":{"nonce":12,"reservedAt":"2026-11-30T10:00:00+00:00"}}}""")]
    [InlineData("""{"version":2,"pending":{"agents/maria@acme.example":{"nonce":"0123456789abcdef0123456789abcdef","reservedAt":"yesterday"}}}""")]
    [InlineData("""{"version":2,"pending":{"agents/maria@acme.example":"0123456789abcdef0123456789abcdef"}}""")]
    [InlineData("""{"version":2,"pend""")]
    public async Task An_entry_of_the_wrong_shape_is_dropped_rather_than_trusted_or_thrown_on(string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        await File.WriteAllTextAsync(FilePath, content);

        var nonces = await new FilePendingCreateStore(FilePath, PendingCreatesTests.Replace).ReserveAsync(["agents/maria@acme.example"], CancellationToken.None);

        nonces.Single().Value.Should().NotBe("0123456789abcdef0123456789abcdef");
    }

    [Fact]
    public async Task A_file_larger_than_any_days_creates_is_discarded_unread()
    {
        // A valid entry, then 64 MiB of blanks: more than half a million pending creates would take.
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        await using (var file = File.Create(FilePath))
        {
            await file.WriteAsync(Encoding.UTF8.GetBytes($$$"""{"version":2,"pending":{"agents/maria@acme.example":{"nonce":"0123456789abcdef0123456789abcdef","reservedAt":"{{{DateTimeOffset.UtcNow:O}}}"}}"""));
            var blanks = new byte[1024 * 1024];
            Array.Fill(blanks, (byte)' ');
            for (var i = 0; i < 64; i++)
                await file.WriteAsync(blanks);
            await file.WriteAsync("}"u8.ToArray());
        }

        var nonces = await new FilePendingCreateStore(FilePath, PendingCreatesTests.Replace).ReserveAsync(["agents/maria@acme.example"], CancellationToken.None);

        nonces.Single().Value.Should().NotBe("0123456789abcdef0123456789abcdef");
        new FileInfo(FilePath).Length.Should().BeLessThan(1024, "the store wrote its own file in its place");
    }

    [Fact]
    public async Task Nonces_written_by_one_store_are_read_back_by_the_next()
    {
        var operations = Enumerable.Range(0, 2_000).Select(i => $"agents/a{i}@acme.example").ToList();
        var first = await new FilePendingCreateStore(FilePath, PendingCreatesTests.Replace).ReserveAsync(operations, CancellationToken.None);

        var second = await new FilePendingCreateStore(FilePath, PendingCreatesTests.Replace).ReserveAsync(operations, CancellationToken.None);

        second.Should().Equal(first, "a re-run after a kill sends the same keys");
        Directory.GetFiles(Path.GetDirectoryName(FilePath)!).Should().ContainSingle("the temp file was renamed into place");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>Applies the manifests with a file store whose content is then put back as it was before the run's release.</summary>
    private async Task<(EngineHarness Harness, FilePendingCreateStore Store)> KilledAfterCommitAsync(string yaml)
    {
        var harness = new EngineHarness();
        var store = new FilePendingCreateStore(FilePath, PendingCreatesTests.Replace);
        var run = await harness.PlanAsync(yaml);
        await store.ReserveAsync([.. run.Plan.Changes.Select(PlanExecutor.OperationOf)], CancellationToken.None);
        var beforeRelease = await File.ReadAllTextAsync(FilePath);
        (await harness.ApplyAsync(run, pending: store)).Succeeded.Should().BeTrue();
        await File.WriteAllTextAsync(FilePath, beforeRelease);
        return (harness, store);
    }
}
