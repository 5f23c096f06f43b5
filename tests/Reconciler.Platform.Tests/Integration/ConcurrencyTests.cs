using System.Net;
using Reconciler.Platform.Contract;

namespace Reconciler.Platform.Tests.Integration;

/// <summary>
/// Many clients at once, each on its own connection, released together: the outcomes a client may rely on hold however
/// the requests interleave in the server and the database.
/// </summary>
public sealed class ConcurrencyTests(PlatformServers servers) : IClassFixture<PlatformServers>
{
    private const int Racers = 12;

    [Theory, Sqlite, Postgres]
    public async Task Replaces_with_the_same_if_match_one_wins_the_rest_are_412_and_none_is_lost(Backend backend)
    {
        var platform = await servers.Get(backend);
        var role = await platform.Client.CreateOk<RoleDto>("roles", new RoleDto { Name = Http.Unique("race"), DisplayName = "Race" });

        var responses = await Race(platform, (client, i) => client.PutAsync($"roles/{role.Id}", role with { DisplayName = $"writer {i}" }, 1));

        responses.Select(r => r.StatusCode).Should().ContainSingle(s => s == HttpStatusCode.OK)
            .And.HaveCount(Racers).And.OnlyContain(s => s == HttpStatusCode.OK || s == HttpStatusCode.PreconditionFailed);
        var winner = await responses.Single(r => r.StatusCode == HttpStatusCode.OK).Read<RoleDto>();
        var stored = await (await platform.Client.GetAsync($"roles/{role.Id}")).Read<RoleDto>();
        stored.Should().BeEquivalentTo(winner, "the object is the winner's write, not a later loser's");
        stored.Version.Should().Be(2);
        var updates = await (await platform.Client.GetAsync($"audit-events?objectId={role.Id}&limit=1000")).Read<AuditEventPage>();
        updates.Items.Where(e => e.Action == "update").Should().ContainSingle();
    }

    [Theory, Sqlite, Postgres]
    public async Task Creates_with_one_idempotency_key_make_one_object_and_replay_its_response(Backend backend)
    {
        var platform = await servers.Get(backend);
        var key = Guid.NewGuid().ToString();
        var name = Http.Unique("idem");

        var responses = await Race(platform, (client, _) => client.PostAsync("roles", new RoleDto { Name = name, DisplayName = "Idem", Permissions = ["inbox.view"] }, key));

        // The draft allows a 409 while the first request is in flight; this server waits for it and replays instead.
        responses.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.Created);
        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()));
        bodies.Distinct().Should().ContainSingle();
        responses.Select(r => r.Headers.Location).Distinct().Should().ContainSingle();
        responses.Count(r => r.Headers.Contains(AdminApi.IdempotentReplayedHeader)).Should().Be(Racers - 1);
        var roles = await (await platform.Client.GetAsync("roles?limit=1000")).Read<Page<RoleDto>>();
        roles.Items.Should().ContainSingle(r => r.Name == name);
    }

    [Theory, Sqlite, Postgres]
    public async Task Creates_of_one_natural_key_give_one_201_and_409s_naming_it(Backend backend)
    {
        var platform = await servers.Get(backend);
        var email = $"{Http.Unique("race")}@acme.example";

        // Each writes the address in its own case: the key is the lower-cased address, so all of them collide.
        var responses = await Race(platform, (client, i) => client.PostAsync("agents", CollectionApiTests.Agent(i % 2 == 0 ? email : email.ToUpperInvariant())));

        responses.Where(r => r.StatusCode == HttpStatusCode.Created).Should().ContainSingle();
        var created = await responses.Single(r => r.StatusCode == HttpStatusCode.Created).Read<AgentDto>();
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            refused.StatusCode.Should().Be(HttpStatusCode.Conflict, await refused.Content.ReadAsStringAsync());
            refused.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
            (await refused.Read<ProblemDto>()).ExistingId.Should().Be(created.Id);
        }
    }

    [Theory, Sqlite, Postgres]
    public async Task Creates_and_renames_onto_one_natural_key_give_one_success_and_409s_naming_the_holder(Backend backend)
    {
        var platform = await servers.Get(backend);
        var name = Http.Unique("taken");
        var others = new List<TagGroupDto>();
        for (var i = 0; i < Racers / 2; i++)
        {
            others.Add(await platform.Client.CreateOk<TagGroupDto>("tag-groups", new TagGroupDto { Name = Http.Unique("rename"), DisplayName = "R", Tags = [] }));
        }

        // Half create the name, half rename an existing object to it.
        var responses = await Race(platform, (client, i) => i % 2 == 0
            ? client.PostAsync("tag-groups", new TagGroupDto { Name = name, DisplayName = "C", Tags = [] })
            : client.PutAsync($"tag-groups/{others[i / 2].Id}", others[i / 2] with { Name = name }, 1));

        var won = responses.Where(r => r.IsSuccessStatusCode).Should().ContainSingle().Subject;
        var holder = await won.Read<TagGroupDto>();
        foreach (var refused in responses.Where(r => !r.IsSuccessStatusCode))
        {
            refused.StatusCode.Should().Be(HttpStatusCode.Conflict, await refused.Content.ReadAsStringAsync());
            (await refused.Read<ProblemDto>()).ExistingId.Should().Be(holder.Id, "a 409 for a taken key names the object holding it");
        }
    }

    [Theory, Sqlite, Postgres]
    public async Task Agents_naming_each_other_as_supervisor_at_once_give_one_200_and_one_cycle_422(Backend backend)
    {
        var platform = await servers.Get(backend);

        // One pair rarely meets inside the database at the same moment; several pairs at once make sure some do.
        const int pairs = 6;
        var agents = new List<AgentDto>();
        for (var i = 0; i < 2 * pairs; i++)
        {
            agents.Add(await platform.Client.CreateOk<AgentDto>("agents", CollectionApiTests.Agent($"{Http.Unique("sup")}@acme.example")));
        }

        var responses = await Race(platform, 2 * pairs, (client, i) =>
        {
            var (self, other) = (agents[i], agents[i % 2 == 0 ? i + 1 : i - 1]);
            return client.PutAsync($"agents/{self.Id}", self with { SupervisorId = other.Id }, self.Version);
        });

        for (var pair = 0; pair < pairs; pair++)
        {
            var bodies = string.Join("\n", await Task.WhenAll(responses.Skip(2 * pair).Take(2).Select(r => r.Content.ReadAsStringAsync())));
            responses.Skip(2 * pair).Take(2).Select(r => r.StatusCode).Should()
                .BeEquivalentTo([HttpStatusCode.OK, HttpStatusCode.UnprocessableEntity], "the second write would close a supervisor cycle: {0}", bodies);
        }
    }

    [Theory, Sqlite, Postgres]
    public async Task A_delete_racing_creates_that_reference_the_object_leaves_no_dangling_reference(Backend backend)
    {
        var platform = await servers.Get(backend);
        var role = await platform.Client.CreateOk<RoleDto>("roles", new RoleDto { Name = Http.Unique("doomed"), DisplayName = "Doomed" });

        // Every third racer deletes the role (at most one can: If-Match "1"), the others create agents holding it.
        var responses = await Race(platform, (client, i) => i % 3 == 0
            ? client.DeleteAsync($"roles/{role.Id}", 1)
            : client.PostAsync("agents", CollectionApiTests.Agent($"{Http.Unique("ref")}@acme.example", role.Id!)));

        var deleted = responses.Where((_, i) => i % 3 == 0).Count(r => r.StatusCode == HttpStatusCode.NoContent);
        var created = responses.Where((_, i) => i % 3 != 0).Count(r => r.StatusCode == HttpStatusCode.Created);
        foreach (var response in responses)
        {
            ((int)response.StatusCode).Should().BeOneOf([204, 201, 404, 409, 412, 422], await response.Content.ReadAsStringAsync());
        }

        (deleted, created).Should().Match<(int Deleted, int Created)>(
            outcome => outcome.Deleted == 0 || outcome.Created == 0, "a role is deleted only while no agent holds it, and no agent is created holding a deleted role");
        (await platform.Client.GetAsync($"roles/{role.Id}")).StatusCode.Should().Be(deleted == 1 ? HttpStatusCode.NotFound : HttpStatusCode.OK);
    }

    [Theory, Sqlite, Postgres]
    public async Task A_listing_while_others_insert_and_delete_shows_every_lasting_object_exactly_once(Backend backend)
    {
        var platform = await servers.Get(backend);
        var run = Http.Unique("page");
        var labels = new Dictionary<string, string> { ["run"] = run };
        var lasting = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            lasting.Add((await platform.Client.CreateOk<TagGroupDto>("tag-groups", new TagGroupDto { Name = $"{run}-{i}", DisplayName = "P", Tags = [], Labels = labels })).Id!);
        }

        // Churn between and after the lasting objects: each writer creates one and deletes it again, over and over.
        using var listed = new CancellationTokenSource();
        var churning = Enumerable.Range(0, 3).Select(w => Task.Run(async () =>
        {
            using var client = platform.NewClient(platform.Running.AdminToken);
            for (var i = 0; !listed.IsCancellationRequested; i++)
            {
                var churn = await client.CreateOk<TagGroupDto>("tag-groups", new TagGroupDto { Name = $"{run}-churn-{w}-{i}", DisplayName = "C", Tags = [], Labels = labels });
                (await client.DeleteAsync($"tag-groups/{churn.Id}", churn.Version)).StatusCode.Should().Be(HttpStatusCode.NoContent);
            }
        })).ToList();

        var passes = new List<List<string>>();
        for (var pass = 0; pass < 3; pass++)
        {
            var seen = new List<string>();
            string? cursor = null;
            do
            {
                var page = await (await platform.Client.GetAsync($"tag-groups?limit=3&labelSelector=run%3D{run}{(cursor is null ? "" : "&cursor=" + cursor)}")).Read<Page<TagGroupDto>>();
                seen.AddRange(page.Items.Select(t => t.Id!));
                cursor = page.NextCursor;
            }
            while (cursor is not null);
            passes.Add(seen);
        }

        await listed.CancelAsync();
        await Task.WhenAll(churning);
        foreach (var seen in passes)
        {
            seen.Should().OnlyHaveUniqueItems();
            seen.Where(lasting.Contains).Should().Equal(lasting, "an object present for the whole listing appears once, in creation order");
        }
    }

    private static Task<HttpResponseMessage[]> Race(TestPlatform platform, Func<HttpClient, int, Task<HttpResponseMessage>> send) =>
        Race(platform, Racers, send);

    /// <summary>
    /// Sends <paramref name="count"/> requests, each from its own client and connection, after all of them have connected,
    /// so they reach the server together rather than in the order the tasks started.
    /// </summary>
    private static async Task<HttpResponseMessage[]> Race(TestPlatform platform, int count, Func<HttpClient, int, Task<HttpResponseMessage>> send)
    {
        var clients = Enumerable.Range(0, count).Select(_ => platform.NewClient(platform.Running.AdminToken)).ToList();
        try
        {
            // A first request opens each client's connection, so the race itself spends no time in TCP handshakes.
            await Task.WhenAll(clients.Select(c => c.GetAsync(new Uri(platform.Running.BaseUrl, "healthz"))));
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var sends = clients.Select((client, i) => Task.Run(async () =>
            {
                await start.Task;
                return await send(client, i);
            })).ToList();
            start.SetResult();
            return await Task.WhenAll(sends);
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }
}
