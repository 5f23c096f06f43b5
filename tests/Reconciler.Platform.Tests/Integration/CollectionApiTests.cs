using System.Net;
using Reconciler.Platform.Contract;

namespace Reconciler.Platform.Tests.Integration;

public sealed class CollectionApiTests(PlatformServers servers) : IClassFixture<PlatformServers>
{
    internal static AgentDto Agent(string email, string roleId = "rol_agent") => new()
    {
        Email = email,
        DisplayName = "Maria Santos",
        RoleId = roleId,
        Mobile = "+5511987654321",
        Level = "L2",
        Languages = ["pt-BR", "en"],
        Capabilities = ["Live", "Chat"],
    };

    [Theory, Sqlite, Postgres]
    public async Task Create_get_replace_delete_follow_versions_and_etags(Backend backend)
    {
        var client = (await servers.Get(backend)).Client;
        var name = Http.Unique("support");
        var created = await client.PostAsync("business-units", new BusinessUnitDto { Name = name, DisplayName = "Support", Routing = new RoutingDto { Strategy = "LeastBusy", QueueLimit = 5 } });
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        created.Headers.ETag!.Tag.Should().Be("\"1\"");
        var unit = await created.Read<BusinessUnitDto>();
        created.Headers.Location!.ToString().Should().Be($"/api/v1/business-units/{unit.Id}");
        unit.Key.Should().Be(name);
        unit.Version.Should().Be(1);

        var fetched = await client.GetAsync($"business-units/{unit.Id}");
        fetched.StatusCode.Should().Be(HttpStatusCode.OK);
        fetched.Headers.ETag!.Tag.Should().Be("\"1\"");

        var replaced = await client.PutAsync($"business-units/{unit.Id}", unit with { DisplayName = "Support team" }, 1);
        replaced.StatusCode.Should().Be(HttpStatusCode.OK);
        replaced.Headers.ETag!.Tag.Should().Be("\"2\"");
        (await replaced.Read<BusinessUnitDto>()).DisplayName.Should().Be("Support team");

        var unchanged = await client.PutAsync($"business-units/{unit.Id}", unit with { DisplayName = "Support team" }, 2);
        unchanged.Headers.ETag!.Tag.Should().Be("\"2\"", "a replace that changes nothing does not bump the version");

        (await client.PutAsync($"business-units/{unit.Id}", unit, 1)).StatusCode.Should().Be(HttpStatusCode.PreconditionFailed);
        (await client.PutAsync($"business-units/{unit.Id}", unit, null)).StatusCode.Should().Be(HttpStatusCode.PreconditionRequired);
        (await client.DeleteAsync($"business-units/{unit.Id}", null)).StatusCode.Should().Be(HttpStatusCode.PreconditionRequired);
        (await client.DeleteAsync($"business-units/{unit.Id}", 1)).StatusCode.Should().Be(HttpStatusCode.PreconditionFailed);
        (await client.DeleteAsync($"business-units/{unit.Id}", 2)).StatusCode.Should().Be(HttpStatusCode.NoContent);
        var gone = await client.GetAsync($"business-units/{unit.Id}");
        gone.StatusCode.Should().Be(HttpStatusCode.NotFound);
        gone.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Theory, Sqlite, Postgres]
    public async Task Duplicate_natural_key_is_409_with_the_existing_id_and_agent_email_is_case_insensitive(Backend backend)
    {
        var client = (await servers.Get(backend)).Client;
        var email = $"{Http.Unique("alice")}@acme.example";
        var first = await client.CreateOk<AgentDto>("agents", Agent(email));
        first.Key.Should().Be(email);

        var duplicate = await client.PostAsync("agents", Agent(email.ToUpperInvariant()));
        duplicate.StatusCode.Should().Be(HttpStatusCode.Conflict);
        var problem = await duplicate.Read<ProblemDto>();
        problem.ExistingId.Should().Be(first.Id);
        problem.Status.Should().Be(409);
    }

    [Theory, Sqlite, Postgres]
    public async Task Idempotency_key_replays_the_first_response_and_rejects_a_different_body(Backend backend)
    {
        var client = (await servers.Get(backend)).Client;
        var key = Guid.NewGuid().ToString();
        var body = new TagGroupDto { Name = Http.Unique("vip"), DisplayName = "VIP", Tags = [new TagDto { Name = "gold", Color = "#FFD700" }] };
        var first = await client.PostAsync("tag-groups", body, key);
        var second = await client.PostAsync("tag-groups", body, key);
        first.StatusCode.Should().Be(HttpStatusCode.Created);
        second.StatusCode.Should().Be(HttpStatusCode.Created);
        (await second.Content.ReadAsStringAsync()).Should().Be(await first.Content.ReadAsStringAsync());
        second.Headers.Location.Should().Be(first.Headers.Location);

        var different = await client.PostAsync("tag-groups", body with { DisplayName = "Other" }, key);
        different.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await different.Read<ProblemDto>()).Type.Should().EndWith("idempotency-key-reused");
    }

    [Theory, Sqlite, Postgres]
    public async Task A_retry_whose_json_is_only_formatted_differently_is_replayed_and_another_collection_is_422(Backend backend)
    {
        var client = (await servers.Get(backend)).Client;
        var key = Guid.NewGuid().ToString();
        var name = Http.Unique("fmt");
        var body = $$"""{"name":"{{name}}","displayName":"VIP","tags":[]}""";

        using var first = await client.SendAsync(RawPost("tag-groups", body, key));
        using var retry = await client.SendAsync(RawPost("tag-groups", $$"""{ "tags" : [ ], "displayName" : "\u0056IP",{{"\n"}}  "name" : "{{name}}" }""", key));
        using var elsewhere = await client.SendAsync(RawPost("roles", body, key));

        first.StatusCode.Should().Be(HttpStatusCode.Created);
        retry.StatusCode.Should().Be(HttpStatusCode.Created, "member order, whitespace and escapes do not make another request (was 422)");
        retry.Headers.GetValues(AdminApi.IdempotentReplayedHeader).Should().Equal("true");
        (await retry.Content.ReadAsStringAsync()).Should().Be(await first.Content.ReadAsStringAsync());
        elsewhere.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await elsewhere.Read<ProblemDto>()).Type.Should().EndWith("idempotency-key-reused");
    }

    [Theory, Sqlite, Postgres]
    public async Task A_key_a_server_recorded_before_the_canonical_fingerprint_replays_the_same_bytes_and_refuses_another_body(Backend backend)
    {
        var platform = await servers.Get(backend);
        var key = Guid.NewGuid().ToString();
        var name = Http.Unique("old");
        var body = $$"""{"name": "{{name}}", "displayName": "Old", "tags": []}""";
        using var first = await platform.Client.SendAsync(RawPost("tag-groups", body, key));
        first.StatusCode.Should().Be(HttpStatusCode.Created);

        // What a server before the canonical fingerprint recorded: the SHA-256 of the bytes, which are not canonical here.
        var bytesHash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(body)));
        await TestDatabases.ExecuteAsync(platform.Options.Database, $"UPDATE idempotency_keys SET request_hash = '{bytesHash}' WHERE idem_key = '{key}'");

        using var retry = await platform.Client.SendAsync(RawPost("tag-groups", body, key));
        using var other = await platform.Client.SendAsync(RawPost("tag-groups", body.Replace("Old", "New", StringComparison.Ordinal), key));

        retry.StatusCode.Should().Be(HttpStatusCode.Created, "the same bytes are the same request whichever fingerprint the record holds (was 422)");
        retry.Headers.GetValues(AdminApi.IdempotentReplayedHeader).Should().Equal("true");
        (await retry.Content.ReadAsStringAsync()).Should().Be(await first.Content.ReadAsStringAsync());
        other.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
    }

    private static HttpRequestMessage RawPost(string path, string json, string idempotencyKey) => new(HttpMethod.Post, path)
    {
        Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
        Headers = { { AdminApi.IdempotencyKeyHeader, idempotencyKey } },
    };

    [Theory, Sqlite, Postgres]
    public async Task List_pages_with_opaque_cursors_in_stable_order_and_filters_by_label_selector(Backend backend)
    {
        var client = (await servers.Get(backend)).Client;
        var run = Http.Unique("run");
        var ids = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            var labels = new Dictionary<string, string> { ["run"] = run, ["tier"] = i % 2 == 0 ? "gold" : "silver" };
            if (i < 3)
            {
                labels["managed-by"] = "reconciler";
            }

            ids.Add((await client.CreateOk<TagGroupDto>("tag-groups", new TagGroupDto { Name = Http.Unique("tg"), DisplayName = "T", Labels = labels })).Id!);
        }

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await (await client.GetAsync($"tag-groups?limit=3&labelSelector=run={run}" + (cursor is null ? "" : $"&cursor={cursor}"))).Read<Page<TagGroupDto>>();
            seen.AddRange(page.Items.Select(i => i.Id!));
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null);
        seen.Should().Equal(ids);
        pages.Should().Be(3);

        async Task<int> Count(string selector) =>
            (await (await client.GetAsync($"tag-groups?limit=1000&labelSelector={Uri.EscapeDataString(selector)}")).Read<Page<TagGroupDto>>()).Items.Count;

        (await Count($"run={run},tier=gold")).Should().Be(4);
        (await Count($"run={run},tier!=gold")).Should().Be(3);
        (await Count($"run={run},managed-by")).Should().Be(3);
        (await Count($"run={run},!managed-by")).Should().Be(4);
        (await Count($"run={run},tier in (gold,silver)")).Should().Be(7);
        (await Count($"run={run},tier in (gold,bronze)")).Should().Be(4);
        (await Count($"run={run},tier notin (gold)")).Should().Be(3);
        (await Count($"run={run},managed-by notin (reconciler)")).Should().Be(4, "notin also matches objects without the label");
        (await client.GetAsync($"tag-groups?labelSelector={Uri.EscapeDataString("tier in (gold")}")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await client.GetAsync("tag-groups?limit=1001")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await client.GetAsync("tag-groups?cursor=garbage")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    /// <summary>Errors the framework answers before any handler runs are problems too, as the contract has every error.</summary>
    [Theory]
    [InlineData("GET", "no-such-collection", null, 404, "not-found")]
    [InlineData("PATCH", "roles/rol_admin", "application/json", 405, "method-not-allowed")]
    [InlineData("POST", "roles", "text/plain", 415, "unsupported-media-type")]
    public async Task An_error_the_framework_answers_is_a_problem(string method, string path, string? contentType, int status, string kind)
    {
        var client = (await servers.Get(Backend.Sqlite)).Client;
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (contentType is not null)
            request.Content = new StringContent("{}", System.Text.Encoding.UTF8, contentType);

        using var response = await client.SendAsync(request);

        ((int)response.StatusCode).Should().Be(status);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        problem["type"]!.GetValue<string>().Should().EndWith("/" + kind);
        problem["status"]!.GetValue<int>().Should().Be(status);
        problem["title"]!.GetValue<string>().Should().NotBeNullOrEmpty();
    }

    [Theory, Sqlite, Postgres]
    public async Task Built_in_roles_are_seeded_and_cannot_be_changed_or_deleted(Backend backend)
    {
        var client = (await servers.Get(backend)).Client;
        var roles = await (await client.GetAsync("roles?limit=1000")).Read<Page<RoleDto>>();
        roles.Items.Where(r => r.BuiltIn).Select(r => r.Name).Should().BeEquivalentTo(["admin", "supervisor", "agent", "admin-ally"]);
        var admin = roles.Items.Single(r => r.Name == "admin");
        var catalog = await (await client.GetAsync("permissions")).Read<Page<PermissionDto>>();
        admin.Permissions.Should().BeEquivalentTo(catalog.Items.Select(p => p.Name));
        (await client.PutAsync($"roles/{admin.Id}", admin with { DisplayName = "Boss" }, admin.Version)).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await client.DeleteAsync($"roles/{admin.Id}", admin.Version)).StatusCode.Should().Be(HttpStatusCode.Conflict);
    }

    [Theory, Sqlite, Postgres]
    public async Task Permission_catalog_covers_the_seed_areas(Backend backend)
    {
        var client = (await servers.Get(backend)).Client;
        var names = (await (await client.GetAsync("permissions")).Read<Page<PermissionDto>>()).Items.Select(p => p.Name).ToList();
        names.Should().Contain([
            "inbox.view", "broadcast.send", "contacts.manage", "chatbot.manage", "reports.view", "finance.view",
            "channels.whatsapp.manage", "channels.telegram.manage", "channels.qontak-crm.manage", "settings.ticket.manage",
            "agents.manage", "roles.manage", "business-units.manage", "sso.manage", "tags.manage",
            "sessions.join", "sessions.recordings", "sessions.metadata", "audit.read", "live.view", "engagement.automations",
        ]);
    }

    [Theory, Sqlite, Postgres]
    public async Task Agents_get_server_maintained_presence_and_activation_times(Backend backend)
    {
        var client = (await servers.Get(backend)).Client;
        var agent = await client.CreateOk<AgentDto>("agents", Agent($"{Http.Unique("bob")}@acme.example"));
        agent.Presence.Should().Be("Offline");
        agent.ActivatedAt.Should().NotBeNull();
        agent.DeactivatedAt.Should().BeNull();

        var deactivated = await (await client.PutAsync($"agents/{agent.Id}", agent with { Active = false, Presence = "Online" }, 1)).Read<AgentDto>();
        deactivated.Presence.Should().Be("Offline", "presence is not writable");
        deactivated.DeactivatedAt.Should().NotBeNull();
        deactivated.ActivatedAt.Should().Be(agent.ActivatedAt);
    }

    [Theory, Sqlite, Postgres]
    public async Task Organization_is_a_versioned_singleton(Backend backend)
    {
        var client = (await servers.Get(backend)).Client;
        var response = await client.GetAsync("organization");
        var org = await response.Read<OrganizationDto>();
        org.Key.Should().Be("organization");
        var version = long.Parse(response.Headers.ETag!.Tag.Trim('"'), System.Globalization.CultureInfo.InvariantCulture);
        var updated = await client.PutAsync("organization", org with { DisplayName = "Acme", Timezone = "America/Sao_Paulo" }, version);
        updated.StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.PutAsync("organization", org with { Timezone = "Mars/Olympus" }, version + 1)).StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await client.PutAsync("organization", org, null)).StatusCode.Should().Be(HttpStatusCode.PreconditionRequired);
    }
}
