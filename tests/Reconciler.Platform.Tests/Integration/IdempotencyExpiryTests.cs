using Microsoft.Extensions.Time.Testing;
using System.Net;
using Reconciler.Platform.Contract;

namespace Reconciler.Platform.Tests.Integration;

/// <summary>Idempotency records live for a configured lifetime (24 hours by default, as Stripe's) and then are forgotten.</summary>
public sealed class IdempotencyExpiryTests
{
    [Theory, Sqlite, Postgres]
    public async Task A_key_replays_within_its_lifetime_and_is_forgotten_after_it(Backend backend)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var platform = await TestPlatform.StartAsync(backend, o =>
        {
            o.TimeProvider = clock;
            o.IdempotencyKeyLifetime = TimeSpan.FromHours(2);
        });
        var key = Guid.NewGuid().ToString();
        var body = new TagGroupDto { Name = Http.Unique("expiring"), DisplayName = "Expiring" };
        var first = await platform.Client.PostAsync("tag-groups", body, key);
        first.StatusCode.Should().Be(HttpStatusCode.Created);
        var created = await first.Read<TagGroupDto>();

        clock.Advance(TimeSpan.FromMinutes(119));
        var replay = await platform.Client.PostAsync("tag-groups", body, key);
        replay.StatusCode.Should().Be(HttpStatusCode.Created);
        replay.Headers.GetValues(AdminApi.IdempotentReplayedHeader).Should().Equal("true");

        using var delete = new HttpRequestMessage(HttpMethod.Delete, $"tag-groups/{created.Id}");
        delete.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        (await platform.Client.SendAsync(delete)).IsSuccessStatusCode.Should().BeTrue();
        clock.Advance(TimeSpan.FromMinutes(2));
        var after = await platform.Client.PostAsync("tag-groups", body, key);

        after.StatusCode.Should().Be(HttpStatusCode.Created, "an expired key is a new request, not a replay of a 201 for a deleted object");
        after.Headers.Contains(AdminApi.IdempotentReplayedHeader).Should().BeFalse();
        (await after.Read<TagGroupDto>()).Id.Should().NotBe(created.Id);
    }

    [Theory, Sqlite]
    public async Task An_expired_key_may_be_used_with_another_body(Backend backend)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var platform = await TestPlatform.StartAsync(backend, o => o.TimeProvider = clock);
        var key = Guid.NewGuid().ToString();
        (await platform.Client.PostAsync("tag-groups", new TagGroupDto { Name = Http.Unique("a"), DisplayName = "A" }, key)).StatusCode.Should().Be(HttpStatusCode.Created);
        (await platform.Client.PostAsync("tag-groups", new TagGroupDto { Name = Http.Unique("b"), DisplayName = "B" }, key)).StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);

        clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromSeconds(1));

        (await platform.Client.PostAsync("tag-groups", new TagGroupDto { Name = Http.Unique("b"), DisplayName = "B" }, key)).StatusCode.Should().Be(HttpStatusCode.Created);
    }

    [Theory, Sqlite]
    public async Task A_lifetime_reaching_before_the_calendar_keeps_keys_rather_than_failing_every_create(Backend backend)
    {
        // platform serve --idempotency-key-lifetime 100000000h: now minus it is before year 1.
        await using var platform = await TestPlatform.StartAsync(backend, o => o.IdempotencyKeyLifetime = TimeSpan.FromHours(100_000_000));
        var key = Guid.NewGuid().ToString();
        var body = new TagGroupDto { Name = Http.Unique("forever"), DisplayName = "Forever" };

        (await platform.Client.PostAsync("tag-groups", body, key)).StatusCode.Should().Be(HttpStatusCode.Created);
        var replay = await platform.Client.PostAsync("tag-groups", body, key);

        replay.StatusCode.Should().Be(HttpStatusCode.Created);
        replay.Headers.GetValues(AdminApi.IdempotentReplayedHeader).Should().Equal("true");
    }
}
