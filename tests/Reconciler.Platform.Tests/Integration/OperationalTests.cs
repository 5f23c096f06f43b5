using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Reconciler.Platform.Contract;

namespace Reconciler.Platform.Tests.Integration;

public sealed class AuditAndSecretTests(PlatformServers servers) : IClassFixture<PlatformServers>
{
    private static SsoProviderDto Okta(string name, string secret) => new()
    {
        Name = name,
        Type = "Okta",
        AllowedDomains = ["acme.example"],
        Oidc = new OidcDto { ClientId = "client-1", ClientSecret = secret, IssuerUrl = "https://acme.okta.example" },
    };

    [Theory, Sqlite, Postgres]
    public async Task Client_secrets_are_write_only_and_masked_in_audit(Backend backend)
    {
        var client = (await servers.Get(backend)).Client;
        var created = await client.PostAsync("sso-providers", Okta(Http.Unique("okta"), "s3cr3t-value-1"));
        var createdText = await created.Content.ReadAsStringAsync();
        createdText.Should().NotContain("s3cr3t");
        var provider = JsonSerializer.Deserialize<SsoProviderDto>(createdText, WireJson.Options)!;
        provider.Oidc!.ClientSecretSet.Should().BeTrue();
        var firstUpdate = provider.Oidc.ClientSecretUpdatedAt;
        firstUpdate.Should().NotBeNull();

        var kept = await (await client.PutAsync($"sso-providers/{provider.Id}", provider with { Enforced = true, Oidc = provider.Oidc with { ClientSecret = null } }, 1)).Read<SsoProviderDto>();
        kept.Oidc!.ClientSecretSet.Should().BeTrue();
        kept.Oidc.ClientSecretUpdatedAt.Should().Be(firstUpdate);

        var rotated = await client.PutAsync($"sso-providers/{provider.Id}", kept with { Oidc = kept.Oidc with { ClientSecret = "s3cr3t-value-2" } }, 2);
        var rotatedText = await rotated.Content.ReadAsStringAsync();
        rotatedText.Should().NotContain("s3cr3t");
        JsonSerializer.Deserialize<SsoProviderDto>(rotatedText, WireJson.Options)!.Oidc!.ClientSecretUpdatedAt.Should().BeAfter(firstUpdate!.Value);

        (await client.GetStringAsync($"sso-providers/{provider.Id}")).Should().NotContain("s3cr3t");
        (await client.GetStringAsync("sso-providers?limit=1000")).Should().NotContain("s3cr3t");
        var audit = await client.GetStringAsync($"audit-events?objectId={provider.Id}");
        audit.Should().NotContain("s3cr3t").And.Contain("oidc.clientSecret").And.Contain("***");
    }

    [Theory, Sqlite, Postgres]
    public async Task Every_mutation_appends_an_audit_event_with_actor_reason_request_id_and_field_changes(Backend backend)
    {
        var client = (await servers.Get(backend)).Client;
        var before = await (await client.GetAsync("audit-events?limit=1000")).Read<Page<AuditEventDto>>();
        var since = before.Items.Max(e => e.Sequence);

        var unit = await client.CreateOk<BusinessUnitDto>("business-units", new BusinessUnitDto { Name = Http.Unique("bu"), DisplayName = "B", Routing = new RoutingDto() });
        using (var put = new HttpRequestMessage(HttpMethod.Put, $"business-units/{unit.Id}") { Content = Http.Json(unit with { Routing = new RoutingDto { Strategy = "Manual" } }) })
        {
            put.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
            put.Headers.Add(AdminApi.ChangeReasonHeader, "git 1a2b3c4 BusinessUnit/support");
            put.Headers.Add(AdminApi.RequestIdHeader, "req-42");
            (await client.SendAsync(put)).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        (await client.PostAsync("business-units", new BusinessUnitDto { Name = unit.Name, DisplayName = "dup" })).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await client.DeleteAsync($"business-units/{unit.Id}", 2)).StatusCode.Should().Be(HttpStatusCode.NoContent);

        var events = (await (await client.GetAsync($"audit-events?since={since}")).Read<Page<AuditEventDto>>()).Items;
        events.Select(e => e.Action).Should().Equal(["create", "update", "delete"], "failed mutations leave no event; newest last");
        events.Should().OnlyContain(e => e.Actor == PlatformServer.GeneratedTokenPrincipal && e.ObjectId == unit.Id && e.Key == unit.Name);
        var update = events[1];
        update.Reason.Should().Be("git 1a2b3c4 BusinessUnit/support");
        update.RequestId.Should().Be("req-42");
        update.Changes.Should().ContainSingle();
        update.Changes[0].Field.Should().Be("routing.strategy");
        update.Changes[0].From!.Value.GetString().Should().Be("RoundRobin");
        update.Changes[0].To!.Value.GetString().Should().Be("Manual");

        var page1 = await (await client.GetAsync($"audit-events?since={since}&limit=2&collection=business-units")).Read<Page<AuditEventDto>>();
        page1.Items.Should().HaveCount(2);
        var page2 = await (await client.GetAsync($"audit-events?since={since}&limit=2&collection=business-units&cursor={page1.NextCursor}")).Read<Page<AuditEventDto>>();
        page2.Items.Single().Action.Should().Be("delete");
        (await (await client.GetAsync($"audit-events?since={Uri.EscapeDataString(events[0].At.AddSeconds(-1).ToString("O"))}&objectId={unit.Id}")).Read<Page<AuditEventDto>>())
            .Items.Should().HaveCount(3);
    }
}

public sealed class OperationalTests
{
    [Theory, Sqlite, Postgres]
    public async Task Missing_or_invalid_tokens_are_401_and_a_read_only_token_cannot_write(Backend backend)
    {
        await using var platform = await TestPlatform.StartAsync(backend, o => o.Tokens =
        [
            PlatformToken.Admin("ci-admin", "admin-token-0123456789"),
            new PlatformToken("auditor", "reader-token-0123456789", [AdminApi.ReadScope]),
        ]);
        using var anonymous = platform.NewClient(null);
        var missing = await anonymous.GetAsync("roles");
        missing.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        missing.Headers.WwwAuthenticate.Should().NotBeEmpty();
        using var wrong = platform.NewClient("admin-token-0123456780");
        (await wrong.GetAsync("roles")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        using var reader = platform.NewClient("reader-token-0123456789");
        (await reader.GetAsync("roles")).StatusCode.Should().Be(HttpStatusCode.OK);
        var forbidden = await reader.PostAsync("roles", new RoleDto { Name = "x", DisplayName = "X" });
        forbidden.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await forbidden.Read<ProblemDto>()).Detail.Should().Contain(AdminApi.WriteScope);
        platform.Running.AdminToken.Should().Be("admin-token-0123456789");
        var health = await anonymous.GetAsync(new Uri(platform.Running.BaseUrl, "healthz"));
        health.StatusCode.Should().Be(HttpStatusCode.OK);
        health.Content.Headers.ContentType!.ToString().Should().Be("application/json; charset=utf-8");
        (await health.Content.ReadAsStringAsync()).Should().Be($$"""{"status":"Healthy","database":"{{backend}}"}""");
    }

    [Fact]
    public async Task Over_the_budget_a_token_gets_429_with_retry_after()
    {
        await using var platform = await TestPlatform.StartAsync(Backend.Sqlite, o => o.RateLimit = new RateLimitOptions { PermitsPerSecond = 1, Burst = 3 });
        var statuses = new List<HttpResponseMessage>();
        for (var i = 0; i < 6; i++)
        {
            statuses.Add(await platform.Client.GetAsync("permissions"));
        }

        var limited = statuses.First(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        limited.Headers.RetryAfter!.Delta!.Value.TotalSeconds.Should().BeGreaterThanOrEqualTo(1);
        statuses.Count(r => r.StatusCode == HttpStatusCode.OK).Should().BeInRange(3, 4);
    }

    [Fact]
    public async Task Injected_unavailability_answers_503_with_retry_after_before_doing_anything()
    {
        await using var platform = await TestPlatform.StartAsync(Backend.Sqlite, o => o.Faults = new FaultInjectionOptions { ServiceUnavailableRate = 1, RetryAfterSeconds = 2, Seed = 7 });
        var response = await platform.Client.PostAsync("roles", new RoleDto { Name = "never", DisplayName = "N" });
        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(2));
    }

    [Theory, Sqlite, Postgres]
    public async Task A_connection_dropped_after_commit_leaves_the_object_and_its_audit_and_the_idempotent_retry_returns_it(Backend backend)
    {
        var database = await TestDatabases.CreateAsync(backend);
        var body = new RoleDto { Name = "dropped", DisplayName = "Dropped" };
        await using (var faulty = await TestPlatform.StartAsync(backend, o => o.Faults = new FaultInjectionOptions { DropAfterCommitRate = 1, Seed = 1 }, database))
        {
            var act = () => faulty.Client.PostAsync("roles", body, "idem-1");
            await act.Should().ThrowAsync<HttpRequestException>();
        }

        await using var healthy = await TestPlatform.StartAsync(backend, o => o.Tokens = [PlatformToken.Admin(PlatformServer.GeneratedTokenPrincipal, "another-token-0123456789")], database);
        var retried = await healthy.Client.PostAsync("roles", body, "idem-1");
        retried.StatusCode.Should().Be(HttpStatusCode.Created);
        var role = await retried.Read<RoleDto>();
        (await healthy.Client.GetFromJsonAsync<AuditEventPage>($"audit-events?objectId={role.Id}", WireJson.Options))!.Items.Should().ContainSingle(e => e.Action == "create");
    }

    [Theory, Sqlite, Postgres]
    public async Task Data_survives_a_restart(Backend backend)
    {
        var database = await TestDatabases.CreateAsync(backend);
        string id;
        await using (var first = await TestPlatform.StartAsync(backend, database: database))
        {
            id = (await first.Client.CreateOk<RoleDto>("roles", new RoleDto { Name = "persistent", DisplayName = "P" })).Id!;
        }

        await using var second = await TestPlatform.StartAsync(backend, database: database);
        (await second.Client.GetAsync($"roles/{id}")).StatusCode.Should().Be(HttpStatusCode.OK);
        var roles = await (await second.Client.GetAsync("roles?limit=1000")).Read<Page<RoleDto>>();
        roles.Items.Count(r => r.BuiltIn).Should().Be(4, "built-ins are seeded once");
    }

    [Fact]
    public async Task Settings_files_are_read_once_and_not_watched()
    {
        // A watched appsettings.json watches the whole content root, where the SQLite database usually is: each write woke it.
        await using var platform = await TestPlatform.StartAsync(Backend.Sqlite);
        var configuration = (IConfigurationRoot)platform.Running.Services.GetRequiredService<IConfiguration>();
        var files = configuration.Providers.OfType<FileConfigurationProvider>().ToList();
        files.Should().NotBeEmpty("appsettings.json is still read");
        files.Should().OnlyContain(f => !f.Source.ReloadOnChange);
    }

    [Fact]
    public async Task The_checked_in_openapi_document_is_up_to_date()
    {
        await using var platform = await TestPlatform.StartAsync(Backend.Sqlite);
        using var http = new HttpClient();
        var served = await http.GetStringAsync(new Uri(platform.Running.BaseUrl, "openapi/v1.json"));
        var path = Path.Combine(RepositoryRoot(), "docs", "openapi", "platform-v1.json");
        var normalized = served.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd() + "\n";
        if (Environment.GetEnvironmentVariable("RECONCILER_UPDATE_OPENAPI") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, normalized);
        }

        File.Exists(path).Should().BeTrue("docs/openapi/platform-v1.json must be checked in (RECONCILER_UPDATE_OPENAPI=1 regenerates it)");
        (await File.ReadAllTextAsync(path)).Should().Be(normalized, "the checked-in OpenAPI document is stale: run the tests with RECONCILER_UPDATE_OPENAPI=1");
        normalized.Should().Contain("/api/v1/agents/{id}");
    }

    /// <summary>
    /// The parameters and headers the handlers read for themselves are in the document, so a client generated from it
    /// can page, tail the audit trail and change an object; and every operation asks for the bearer token.
    /// </summary>
    [Fact]
    public async Task The_openapi_document_describes_paging_concurrency_and_the_token()
    {
        await using var platform = await TestPlatform.StartAsync(Backend.Sqlite);
        using var http = new HttpClient();
        var document = JsonNode.Parse(await http.GetStringAsync(new Uri(platform.Running.BaseUrl, "openapi/v1.json")))!;
        string[] Parameters(string path, string method) =>
            [.. document["paths"]![path]![method]!["parameters"]!.AsArray().Select(p => $"{p!["in"]}:{p["name"]}{((bool?)p["required"] == true ? "!" : "")}")];

        Parameters("/api/v1/agents", "get").Should().Equal("query:limit", "query:cursor", "query:labelSelector");
        Parameters("/api/v1/audit-events", "get").Should().Contain(["query:afterSequence", "query:since", "query:collection", "query:objectId", "query:actor"]);
        Parameters("/api/v1/agents", "post").Should().Contain(["header:Idempotency-Key", "header:X-Change-Reason", "header:X-Request-Id", "header:traceparent"]);
        Parameters("/api/v1/agents/{id}", "put").Should().Contain(["path:id!", "header:If-Match!"]);
        Parameters("/api/v1/agents/{id}", "delete").Should().Contain("header:If-Match!");
        Parameters("/api/v1/organization", "put").Should().Contain("header:If-Match!");
        document["security"]!.ToJsonString().Should().Be("""[{"bearer":[]}]""");
        foreach (var operation in document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject()).Select(o => o.Value!))
        {
            operation["responses"]!.AsObject().Select(r => r.Key).Should().Contain(["401", "403", "429", "503"]);
            operation["responses"]!["503"]!["headers"]!.AsObject().Select(h => h.Key).Should().Contain("Retry-After");
        }
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Reconciler.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Reconciler.sln not found above the test directory.");
    }
}
