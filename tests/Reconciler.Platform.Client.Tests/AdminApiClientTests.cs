using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Reconciler.Core.Platform;

namespace Reconciler.Platform.Client.Tests;

public sealed class AdminApiClientTests
{
    private const string Token = "tok-SECRET-123";
    private static readonly ChangeReason Reason = new("reconciler: create Agent/maria (agents.yaml) git abc1234", "req-1");

    [Fact]
    public async Task List_After503WithRetryAfter_WaitsAndSucceeds()
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Then(ScriptedServer.Status(503, h => h.RetryAfter = "1"));
        using var factory = new ClientFactory(server.BaseUrl, Token);

        var watch = Stopwatch.StartNew();
        var result = await factory.Client.ListAsync("agents", CancellationToken.None);

        result.IsOk.Should().BeTrue();
        server.Requests.Should().HaveCount(2);
        watch.Elapsed.Should().BeGreaterThan(TimeSpan.FromMilliseconds(900), "Retry-After: 1 is honoured");
    }

    /// <summary>The contract: Retry-After is honoured, so a wait longer than the client's own backoff cap is waited out whole.</summary>
    [Theory]
    [InlineData(503)]
    [InlineData(429)]
    public async Task A_Retry_After_longer_than_the_backoff_cap_is_waited_out_whole(int status)
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Then(ScriptedServer.Status(status, h => h.RetryAfter = "2"));
        using var factory = new ClientFactory(server.BaseUrl, Token, o => o.MaxDelay = TimeSpan.FromMilliseconds(500));

        var watch = Stopwatch.StartNew();
        var result = await factory.Client.ListAsync("agents", CancellationToken.None);

        result.IsOk.Should().BeTrue();
        server.Requests.Should().HaveCount(2);
        watch.Elapsed.Should().BeGreaterThan(TimeSpan.FromMilliseconds(1900), "the platform asked for 2 s, and asking sooner goes against its word");
    }

    [Theory]
    [InlineData(503)]
    [InlineData(429)]
    public async Task A_Retry_After_longer_than_the_client_waits_fails_the_request_at_once(int status)
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Fallback = ScriptedServer.Status(status, h => h.RetryAfter = "3600");
        using var factory = new ClientFactory(server.BaseUrl, Token, o => o.MaxBackPressureWait = TimeSpan.FromSeconds(30));

        var watch = Stopwatch.StartNew();
        var result = await factory.Client.ListAsync("agents", CancellationToken.None);

        result.Outcome.Should().Be(PlatformOutcome.Unavailable);
        server.Requests.Should().ContainSingle("an hour is longer than the client waits, and asking before it is up would go against the platform's word");
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
    }

    [Theory]
    [InlineData("tok-SECRET\nInjected: yes", "a line break or control character at position 11")]
    [InlineData("tok SECRET", "a space at position 4")]
    [InlineData("tok-SECRÉT", "a non-ASCII character at position 9")]
    [InlineData("", "is empty")]
    public async Task A_token_no_header_can_carry_is_refused_before_anything_is_sent(string token, string said)
    {
        await using var server = await ScriptedServer.StartAsync();
        using var factory = new ClientFactory(server.BaseUrl, token);

        var result = await factory.Client.ListAsync("agents", CancellationToken.None);

        result.Outcome.Should().Be(PlatformOutcome.Unauthorized);
        result.Message.Should().Contain(said).And.NotContain("SECRET");
        server.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task List_After429WithAnHttpDate_Retries()
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Then(ScriptedServer.Status(429, h => h.RetryAfter = DateTimeOffset.UtcNow.AddSeconds(1).ToString("R", CultureInfo.InvariantCulture)));
        using var factory = new ClientFactory(server.BaseUrl, Token);

        var result = await factory.Client.ListAsync("agents", CancellationToken.None);

        result.IsOk.Should().BeTrue();
        server.Requests.Should().HaveCount(2);
    }

    [Fact]
    public async Task A_429_is_back_pressure_and_does_not_spend_a_retry()
    {
        await using var server = await ScriptedServer.StartAsync();
        for (var i = 0; i < 8; i++)
            server.Then(ScriptedServer.Status(429, h => h.RetryAfter = "0"));
        using var factory = new ClientFactory(server.BaseUrl, Token, o => o.MaxRetries = 2);

        var result = await factory.Client.ListAsync("agents", CancellationToken.None);

        result.IsOk.Should().BeTrue("eight 429s are the platform asking for a slower pace, not eight failures");
        server.Requests.Should().HaveCount(9);
    }

    [Fact]
    public async Task Endless_429s_end_as_unavailable_after_the_back_pressure_limit()
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Fallback = ScriptedServer.Status(429, h => h.RetryAfter = "0");
        using var factory = new ClientFactory(server.BaseUrl, Token, o => o.MaxBackPressureWait = TimeSpan.FromSeconds(1));

        var result = await factory.Client.GetAsync("agents", "ag-1", CancellationToken.None);

        result.Outcome.Should().Be(PlatformOutcome.Unavailable);
    }

    [Fact]
    public async Task An_unreachable_platform_fails_fast_with_one_clear_message_and_short_circuits_later_requests()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there any more: connection refused
        using var factory = new ClientFactory(new Uri($"http://127.0.0.1:{port}/"), Token, o =>
        {
            o.BaseDelay = TimeSpan.FromMilliseconds(200);
            o.UnreachableAfter = TimeSpan.FromSeconds(3);
        });
        var watch = Stopwatch.StartNew();

        var first = await factory.Client.ListAsync("agents", CancellationToken.None);
        var firstTook = watch.Elapsed;
        var second = await factory.Client.ListAsync("roles", CancellationToken.None);

        first.Outcome.Should().Be(PlatformOutcome.Unavailable);
        first.Unreachable.Should().BeTrue();
        first.Message.Should().StartWith("platform unreachable at http://127.0.0.1:").And.NotContain("   at ");
        firstTook.Should().BeLessThan(TimeSpan.FromSeconds(10));
        second.Unreachable.Should().BeTrue();
        (watch.Elapsed - firstTook).Should().BeLessThan(TimeSpan.FromSeconds(1), "later requests do not wait out their own retries");
        factory.Logs.Should().OnlyContain(l => !l.Contains("   at ", StringComparison.Ordinal), "one line per attempt, no stack traces");
    }

    [Theory]
    [InlineData("GET", "")]
    [InlineData("PUT", "; whether it made the change is not known (a later plan shows what the platform holds)")]
    public async Task A_platform_that_takes_a_request_and_does_not_answer_is_said_to_be_so_not_unreachable(string method, string unknown)
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Fallback = async c => await Task.Delay(Timeout.Infinite, c.RequestAborted);
        using var factory = new ClientFactory(server.BaseUrl, Token, o => o.AttemptTimeout = TimeSpan.FromSeconds(1));
        var watch = Stopwatch.StartNew();

        var result = method == "GET"
            ? (await factory.Client.GetAsync("agents", "ag-1", CancellationToken.None)).As<object>()
            : (await factory.Client.ReplaceAsync("agents", "ag-1", 3, new JsonObject { ["email"] = "a@acme.example" }, Reason, CancellationToken.None)).As<object>();
        var later = await factory.Client.ListAsync("roles", CancellationToken.None);

        result.Outcome.Should().Be(PlatformOutcome.Unavailable);
        result.Unreachable.Should().BeTrue("an apply starts nothing new once the platform holds requests unanswered");
        result.Message.Should().Be($"the platform at {server.BaseUrl} accepted the connection but did not answer {method} /api/v1/agents/ag-1 within 1 s{unknown}");
        server.Requests.Should().ContainSingle("the platform has the request; sending it again would only add one more it holds");
        later.Unreachable.Should().BeTrue();
        later.Message.Should().Be($"GET /api/v1/roles was not sent: the platform at {server.BaseUrl} accepted the connection of an earlier request but did not answer it within 1 s");
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
        factory.Logs.Should().OnlyContain(l => !l.Contains("   at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_password_in_the_platform_url_is_not_repeated_when_it_is_unreachable()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var factory = new ClientFactory(new Uri($"http://bot:pw-SECRET@127.0.0.1:{port}/"), Token, o => o.UnreachableAfter = TimeSpan.Zero);

        var result = await factory.Client.ListAsync("agents", CancellationToken.None);

        result.Unreachable.Should().BeTrue();
        result.Message.Should().StartWith($"platform unreachable at http://127.0.0.1:{port}/").And.NotContain("SECRET").And.NotContain("bot");
        factory.Logs.Should().OnlyContain(l => !l.Contains("SECRET", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_adaptive_rate_cuts_on_429_and_regrows_slowly()
    {
        var rate = new AdaptiveRate(null, TimeProvider.System);
        rate.Current.Should().BeNull("no budget configured: no fixed cap");
        for (var i = 0; i < 10; i++)
            rate.Succeeded();

        rate.Throttled();
        var cut = rate.Current!.Value;
        rate.Throttled(); // a second worker hearing the same 429 within a second does not cut again
        rate.Current.Should().Be(cut);
        for (var i = 0; i < 10; i++)
            rate.Succeeded();

        rate.Current.Should().BeGreaterThan(cut).And.BeLessThan(cut + 2, "additive increase is slow");
        await Task.CompletedTask;
    }

    [Theory]
    [InlineData(503)]
    [InlineData(500)]
    public async Task Get_WhenTheServerKeepsFailing_IsUnavailableNeverNotFound(int status)
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Fallback = ScriptedServer.Status(status);
        using var factory = new ClientFactory(server.BaseUrl, Token, o => o.MaxRetries = 2);

        var result = await factory.Client.GetAsync("agents", "ag-1", CancellationToken.None);

        result.Outcome.Should().Be(PlatformOutcome.Unavailable);
        server.Requests.Should().HaveCount(3);
    }

    [Theory]
    [InlineData(503)]
    [InlineData(0)] // a dropped connection
    public async Task A_first_attempt_that_fails_is_retried_once_and_logged_as_retry_1(int status)
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Then(status == 0 ? ScriptedServer.Drop() : ScriptedServer.Status(status))
            .Then(c => ScriptedServer.Json(c, 200, """{"id":"ag-1","key":"a@acme.example","version":1}"""));
        using var factory = new ClientFactory(server.BaseUrl, Token);

        var result = await factory.Client.GetAsync("agents", "ag-1", CancellationToken.None);

        result.Outcome.Should().Be(PlatformOutcome.Ok, result.Message);
        server.Requests.Should().HaveCount(2);
        factory.Logs.Should().ContainSingle(l => l.Contains("GET agents: retry", StringComparison.Ordinal))
            .Which.Should().Contain(status == 0 ? "retry 1 after HttpRequestException" : "retry 1 after 503");
    }

    [Fact]
    public async Task Without_retries_a_failure_is_final_at_the_first_attempt()
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Then(ScriptedServer.Status(503)).Then(ScriptedServer.Drop());
        using var factory = new ClientFactory(server.BaseUrl, Token, o => o.MaxRetries = 0);

        var failing = await factory.Client.GetAsync("agents", "ag-1", CancellationToken.None);
        var dropped = await factory.Client.GetAsync("agents", "ag-2", CancellationToken.None);

        failing.Outcome.Should().Be(PlatformOutcome.Unavailable);
        dropped.Outcome.Should().Be(PlatformOutcome.Unavailable);
        dropped.Message.Should().Contain("gave up after");
        server.Requests.Should().HaveCount(2);
        factory.Logs.Should().NotContain(l => l.Contains("retry", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_cancelled_request_is_not_sent()
    {
        await using var server = await ScriptedServer.StartAsync();
        using var factory = new ClientFactory(server.BaseUrl, Token);

        var act = () => factory.Client.GetAsync("agents", "ag-1", new CancellationToken(canceled: true));

        await act.Should().ThrowAsync<OperationCanceledException>();
        server.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task Get_On404_IsNotFoundWithoutRetrying()
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Fallback = ScriptedServer.Status(404);
        using var factory = new ClientFactory(server.BaseUrl, Token);

        (await factory.Client.GetAsync("agents", "ag-1", CancellationToken.None)).Outcome.Should().Be(PlatformOutcome.NotFound);
        server.Requests.Should().ContainSingle();
    }

    [Theory]
    [InlineData("drop", true)]
    [InlineData("502", true)]
    [InlineData("429", false)]
    [InlineData("none", false)]
    public async Task A_result_says_whether_an_earlier_attempt_went_unanswered_and_so_may_have_been_carried_out(string first, bool resent)
    {
        await using var server = await ScriptedServer.StartAsync();
        if (first == "drop")
            server.Then(ScriptedServer.Drop());
        else if (first != "none")
            server.Then(ScriptedServer.Status(int.Parse(first, System.Globalization.CultureInfo.InvariantCulture), h => h.RetryAfter = "0"));
        server.Then(ScriptedServer.Status(412));
        using var factory = new ClientFactory(server.BaseUrl, Token);

        var result = await factory.Client.ReplaceAsync("agents", "ag-1", 3, new JsonObject { ["email"] = "maria@acme.example" }, Reason, CancellationToken.None);

        result.Outcome.Should().Be(PlatformOutcome.PreconditionFailed);
        result.Resent.Should().Be(resent);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_create_whose_answer_breaks_off_mid_body_is_sent_again_with_the_same_idempotency_key(bool announcesItsLength)
    {
        await using var server = await ScriptedServer.StartAsync();
        // The answer ends early: shorter than its Content-Length, or a chunked body without its last chunk.
        server.Then(async c =>
            {
                c.Response.StatusCode = 201;
                if (announcesItsLength)
                    c.Response.ContentLength = 500;
                await Microsoft.AspNetCore.Http.HttpResponseWritingExtensions.WriteAsync(c.Response, """{"id":"ag-1","key":""");
                await c.Response.Body.FlushAsync();
                c.Abort();
            })
            .Then(c => ScriptedServer.Json(c, 201, """{"id":"ag-1","key":"maria@acme.example","version":1}""", h => h["Idempotent-Replayed"] = "true"));
        using var factory = new ClientFactory(server.BaseUrl, Token);

        var result = await factory.Client.CreateAsync("agents", new JsonObject { ["email"] = "maria@acme.example" }, "key-1", Reason, CancellationToken.None);

        result.IsOk.Should().BeTrue(result.Message);
        result.Value!.Id.Should().Be("ag-1");
        result.Replayed.Should().BeTrue();
        result.Resent.Should().BeTrue();
        server.Requests.Select(r => r.Headers["Idempotency-Key"].ToString()).Should().Equal("key-1", "key-1");
    }

    [Fact]
    public async Task Create_AfterADroppedConnection_RetriesWithTheSameIdempotencyKey()
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Then(ScriptedServer.Drop())
            .Then(c => ScriptedServer.Json(c, 201, """{"id":"ag-1","key":"maria@acme.example","version":1,"labels":{"a":"b"},"email":"maria@acme.example"}"""));
        using var factory = new ClientFactory(server.BaseUrl, Token);

        var result = await factory.Client.CreateAsync("agents", new JsonObject { ["email"] = "maria@acme.example" }, "key-1", Reason, CancellationToken.None);

        result.IsOk.Should().BeTrue();
        result.Value!.Id.Should().Be("ag-1");
        result.Value.Labels.Should().ContainKey("a");
        var requests = server.Requests.ToList();
        requests.Should().HaveCount(2);
        requests.Select(r => (r.Headers["Idempotency-Key"].ToString(), r.Headers["X-Change-Reason"].ToString(), r.Headers["X-Request-Id"].ToString()))
            .Should().AllBeEquivalentTo(("key-1", Reason.Text, "req-1"));
    }

    [Fact]
    public async Task A_write_sends_the_bodys_json_as_utf8_and_its_reason_as_ascii()
    {
        await using var server = await ScriptedServer.StartAsync();
        var sent = new List<(string? ContentType, long? Length, string Body)>();
        async Task Answer(Microsoft.AspNetCore.Http.HttpContext context, int status)
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            sent.Add((context.Request.ContentType, context.Request.ContentLength, await reader.ReadToEndAsync()));
            await ScriptedServer.Json(context, status, """{"id":"ag-1","key":"k","version":1,"labels":{}}""");
        }

        server.Then(c => Answer(c, 201)).Then(c => Answer(c, 200));
        using var factory = new ClientFactory(server.BaseUrl, Token);
        var body = new JsonObject { ["displayName"] = "Zoë <Müller> \"quoted\" 😀", ["languages"] = new JsonArray("de", "en"), ["mobile"] = null };

        await factory.Client.CreateAsync("agents", body, "k", new ChangeReason("reconciler: create Agent/zoë (agénts.yaml)", "req-1"), CancellationToken.None);
        await factory.Client.ReplaceAsync("agents", "ag-1", 1, body, Reason, CancellationToken.None);

        var json = body.ToJsonString(Reconciler.Platform.Contract.WireJson.Options);
        sent.Should().Equal(Enumerable.Repeat<(string?, long?, string)>(("application/json; charset=utf-8", Encoding.UTF8.GetByteCount(json), json), 2));
        server.Requests.Select(r => r.Headers["X-Change-Reason"].ToString()).Should().Equal("reconciler: create Agent/zo? (ag?nts.yaml)", Reason.Text);
    }

    [Fact]
    public async Task Replace_SendsIfMatch_AndMaps412And409()
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Then(ScriptedServer.Status(412))
            .Then(c => ScriptedServer.Json(c, 409, """{"title":"Duplicate natural key.","status":409,"existingId":"ag-9"}"""));
        using var factory = new ClientFactory(server.BaseUrl, Token);

        var replaced = await factory.Client.ReplaceAsync("agents", "ag-1", 7, [], Reason, CancellationToken.None);
        var created = await factory.Client.CreateAsync("agents", new JsonObject { ["email"] = "x@y" }, "k", Reason, CancellationToken.None);

        replaced.Outcome.Should().Be(PlatformOutcome.PreconditionFailed);
        server.Requests.First().Headers["If-Match"].ToString().Should().Be("\"7\"");
        created.Outcome.Should().Be(PlatformOutcome.Conflict);
        created.ExistingId.Should().Be("ag-9");
    }

    [Fact]
    public async Task List_FollowsCursorsWithPagesOf1000()
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Then(c => ScriptedServer.Json(c, 200, """{"items":[{"id":"1","key":"a","version":1}],"nextCursor":"c1"}"""))
            .Then(c => ScriptedServer.Json(c, 200, """{"items":[{"id":"2","key":"b","version":3}],"nextCursor":null}"""));
        using var factory = new ClientFactory(server.BaseUrl, Token);

        var result = await factory.Client.ListAsync("roles", CancellationToken.None);

        result.Value!.Select(o => o.Key).Should().Equal("a", "b");
        server.Requests.Select(r => r.PathAndQuery).Should().Equal("/api/v1/roles?limit=1000", "/api/v1/roles?limit=1000&cursor=c1");
    }

    [Theory]
    [InlineData(401, """{"title":"Unauthorized.","status":401,"detail":"A valid bearer token is required."}""", "GET roles: 401 Unauthorized: A valid bearer token is required.")]
    [InlineData(403, """{"title":"Forbidden","status":403,"detail":"The token lacks the scope admin:read."}""", "GET roles: 403 Forbidden: The token lacks the scope admin:read.")]
    [InlineData(401, """{"title":"Unauthorized.","status":401}""", "GET roles: 401 Unauthorized.")]
    public async Task A_problem_reads_as_one_sentence_title_then_detail(int status, string problem, string said)
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Then(c => ScriptedServer.Json(c, status, problem));
        using var factory = new ClientFactory(server.BaseUrl, Token);

        var result = await factory.Client.ListAsync("roles", CancellationToken.None);

        result.Outcome.Should().Be(PlatformOutcome.Unauthorized);
        result.Message.Should().Be(said);
    }

    [Theory]
    [InlineData("""{"id":"1","key":"b","version":1}""", "the platform listed the object 1 twice")]
    [InlineData("""{"id":"2","key":"a","version":1}""", "the platform listed two objects with the key 'a' (1 and 2)")]
    public async Task A_list_that_names_an_object_twice_is_not_planned_from(string second, string said)
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Then(c => ScriptedServer.Json(c, 200, """{"items":[{"id":"1","key":"a","version":1}],"nextCursor":"c1"}"""))
            .Then(c => ScriptedServer.Json(c, 200, $$"""{"items":[{{second}}],"nextCursor":null}"""));
        using var factory = new ClientFactory(server.BaseUrl, Token);

        var result = await factory.Client.ListAsync("roles", CancellationToken.None);

        result.Outcome.Should().Be(PlatformOutcome.Unavailable);
        result.Message.Should().StartWith("GET roles: " + said);
    }

    [Fact]
    public async Task List_asks_for_the_next_page_before_reading_a_page_and_leaves_none_in_flight_when_it_stops_early()
    {
        // Page 1 cannot be read (a label that is not a string), so the list fails on it; page 2 was asked for
        // already, and is still being answered when that happens.
        var abandoned = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await ScriptedServer.StartAsync();
        server.Then(c => ScriptedServer.Json(c, 200, """{"items":[{"id":"1","key":"a","version":1,"labels":{"team":7}}],"nextCursor":"c1"}"""))
            .Then(async c =>
            {
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(30), c.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    abandoned.SetResult();
                }
            });
        using var factory = new ClientFactory(server.BaseUrl, Token);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var result = await factory.Client.ListAsync("roles", CancellationToken.None);

        result.Outcome.Should().Be(PlatformOutcome.Unavailable);
        result.Message.Should().Contain("label 'team'");
        server.Requests.Select(r => r.PathAndQuery).Should().Equal("/api/v1/roles?limit=1000", "/api/v1/roles?limit=1000&cursor=c1");
        await abandoned.Task.WaitAsync(TimeSpan.FromSeconds(10));
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(20), "the page asked for ahead is cancelled, not waited out");
    }

    [Fact]
    public async Task List_reads_large_utf8_pages_straight_from_the_wire_as_the_json_they_carry()
    {
        var pages = Enumerable.Range(0, 3).Select(p => new JsonObject
        {
            ["items"] = new JsonArray([.. Enumerable.Range(0, 400).Select(i => (JsonNode?)new JsonObject
            {
                ["id"] = $"agt_{p}_{i}",
                ["key"] = $"zoë{p}-{i}@例え.example",
                ["version"] = i,
                ["displayName"] = $"Zoë \"{i}\" 😀\n",
                ["languages"] = new JsonArray("en", "fr"),
                ["invitation"] = new JsonObject { ["state"] = "Invited" },
                ["labels"] = new JsonObject { ["reconciler.dev/managed-by"] = "reconciler", ["reconciler.dev/source"] = $"Agent.zoë-{p}-{i}" },
            })]),
            ["nextCursor"] = p < 2 ? $"c{p + 1}" : null,
        }).ToList();
        var relaxed = new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        await using var server = await ScriptedServer.StartAsync();
        foreach (var (page, index) in pages.Select((page, index) => (page, index)))
            server.Then(c => ScriptedServer.Json(c, 200, (index == 1 ? "\uFEFF" : "") + page.ToJsonString(relaxed)));
        using var factory = new ClientFactory(server.BaseUrl, Token);

        var result = await factory.Client.ListAsync("agents", CancellationToken.None);

        var sent = pages.SelectMany(p => p["items"]!.AsArray()).Cast<JsonObject>().ToList();
        result.Value.Should().HaveCount(1200);
        foreach (var (observed, wire) in result.Value!.Zip(sent))
        {
            observed.Id.Should().Be(wire["id"]!.GetValue<string>());
            observed.Key.Should().Be(wire["key"]!.GetValue<string>());
            observed.Labels["reconciler.dev/source"].Should().Be(wire["labels"]!["reconciler.dev/source"]!.GetValue<string>());
            JsonNode.DeepEquals(observed.Fields, wire).Should().BeTrue();
        }
    }

    [Fact]
    public async Task A_write_answered_without_a_body_reads_as_an_object_without_fields()
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Then(c => ScriptedServer.Json(c, 201, "  \n"));
        using var factory = new ClientFactory(server.BaseUrl, Token);

        var result = await factory.Client.CreateAsync("roles", new JsonObject { ["name"] = "x" }, "k1", Reason, CancellationToken.None);

        result.IsOk.Should().BeTrue();
        result.Value!.Id.Should().BeEmpty();
        result.Value.Fields.Should().BeEmpty();
    }

    [Theory]
    [InlineData("/api/v1/roles/r%2D9", "r-9")]
    [InlineData("http://platform.example/api/v1/roles/r-9?x=1", "r-9")]
    [InlineData("/api/v1/agents/r-9", "")]
    [InlineData("/api/v1/roles/", "")]
    public async Task A_create_answered_without_a_body_is_the_object_its_Location_names(string location, string id)
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Then(c =>
        {
            c.Response.StatusCode = 201;
            c.Response.Headers.Location = location;
            return Task.CompletedTask;
        });
        using var factory = new ClientFactory(server.BaseUrl, Token);

        var result = await factory.Client.CreateAsync("roles", new JsonObject { ["name"] = "x" }, "k1", Reason, CancellationToken.None);

        result.IsOk.Should().BeTrue();
        result.Value!.Id.Should().Be(id);
    }

    [Fact]
    public async Task ListPermissions_FollowsCursors_InsteadOfStoppingAtTheFirstPage()
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Then(c => ScriptedServer.Json(c, 200, """{"items":[{"name":"inbox.view"}],"nextCursor":"p2"}"""))
            .Then(c => ScriptedServer.Json(c, 200, """{"items":[{"name":"reports.view"}]}"""));
        using var factory = new ClientFactory(server.BaseUrl, Token);

        var result = await factory.Client.ListPermissionsAsync(CancellationToken.None);

        result.Value.Should().Equal("inbox.view", "reports.view");
        server.Requests.Select(r => r.PathAndQuery).Should().Equal("/api/v1/permissions?limit=1000", "/api/v1/permissions?limit=1000&cursor=p2");
    }

    [Theory]
    [InlineData("""{"items":[{"id":"1",""", "roles", "end of data")]
    [InlineData("<html>Moved</html>", "roles", "'<' is an invalid start of a value")]
    [InlineData("""{"items":[{"id":5,"key":["a"],"version":"x"}]}""", "roles", "type 'String'")]
    [InlineData("""{"items":[],"nextCursor":7}""", "roles", "type 'String'")]
    [InlineData("""{"id":"o","key":"o","version":"one","labels":{}}""", "organization", "type 'Number'")]
    [InlineData("""{"items":[{}]}""", "permissions", "not present")]
    [InlineData("{}", "roles", "'items' array")]
    [InlineData("[]", "permissions", "'items' array")]
    [InlineData("""{"items":{"id":"r-1"}}""", "roles", "'items' array")]
    public async Task An_answer_that_is_not_the_admin_apis_json_fails_the_request_instead_of_throwing(string body, string collection, string said)
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Fallback = c => ScriptedServer.Json(c, 200, body);
        using var factory = new ClientFactory(server.BaseUrl, Token);

        var result = collection switch
        {
            "organization" => (await factory.Client.GetOrganizationAsync(CancellationToken.None)).As<object>(),
            "permissions" => (await factory.Client.ListPermissionsAsync(CancellationToken.None)).As<object>(),
            _ => (await factory.Client.ListAsync(collection, CancellationToken.None)).As<object>(),
        };

        result.Outcome.Should().Be(PlatformOutcome.Unavailable);
        result.Message.Should().StartWith($"GET {collection}: the platform's answer (200) is not the Admin API's JSON").And.Contain(said);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("""{"key":"billing","version":3,"displayName":"Billing"}""")]
    [InlineData("""{"id":"","key":"billing","version":3}""")]
    [InlineData("""{"id":null,"key":"billing","version":3}""")]
    public async Task A_get_answered_without_the_objects_id_fails_instead_of_reading_as_an_object_without_one(string body)
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Fallback = c => ScriptedServer.Json(c, 200, body);
        using var factory = new ClientFactory(server.BaseUrl, Token);

        var role = await factory.Client.GetAsync("roles", "r-1", CancellationToken.None);
        var organization = await factory.Client.GetOrganizationAsync(CancellationToken.None);

        role.Outcome.Should().Be(PlatformOutcome.Unavailable);
        role.Message.Should().Be("GET roles: the platform's answer (200) is not the Admin API's JSON: an object is answered with its 'id', and this answer has none");
        organization.Outcome.Should().Be(PlatformOutcome.Unavailable);
        organization.Message.Should().StartWith("GET organization: the platform's answer (200) is not the Admin API's JSON").And.Contain("'id'");
    }

    [Fact]
    public async Task A_problem_whose_field_errors_hold_nulls_is_still_one_failure()
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Fallback = c => ScriptedServer.Json(c, 422, """{"title":"Invalid","status":422,"errors":{"name":null,"email":[null,"taken"]}}""");
        using var factory = new ClientFactory(server.BaseUrl, Token);

        var result = await factory.Client.CreateAsync("roles", new JsonObject { ["name"] = "r" }, "idem-1", Reason, CancellationToken.None);

        result.Outcome.Should().Be(PlatformOutcome.Invalid);
        result.FieldErrors!["email"].Should().Equal("", "taken");
        result.FieldErrors["name"].Should().BeEmpty();
    }

    [Fact]
    public async Task An_answer_nested_deeper_than_json_documents_are_read_fails_the_request()
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Fallback = c => ScriptedServer.Json(c, 200, "{\"items\":" + new string('[', 100_000) + new string(']', 100_000) + "}");
        using var factory = new ClientFactory(server.BaseUrl, Token);

        var result = await factory.Client.ListAsync("agents", CancellationToken.None);

        result.Outcome.Should().Be(PlatformOutcome.Unavailable);
        result.Message.Should().Contain("maximum configured depth");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_answer_larger_than_the_limit_fails_the_request_once_without_reading_on(bool announcesItsLength)
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Fallback = async c =>
        {
            c.Response.ContentType = "application/json";
            var chunk = new byte[16 * 1024];
            chunk.AsSpan().Fill((byte)' ');
            if (announcesItsLength)
            {
                c.Response.ContentLength = 1L << 40;
                await c.Response.Body.WriteAsync(chunk, c.RequestAborted);
                return;
            }

            // An endless chunked body: only the client's limit ends it.
            while (!c.RequestAborted.IsCancellationRequested)
                await c.Response.Body.WriteAsync(chunk, c.RequestAborted);
        };
        using var factory = new ClientFactory(server.BaseUrl, Token, o => o.MaxResponseBytes = 1024 * 1024);
        var clock = Stopwatch.StartNew();

        var result = await factory.Client.ListAsync("agents", CancellationToken.None);

        result.Outcome.Should().Be(PlatformOutcome.Unavailable);
        result.Message.Should().Be("GET agents: the platform's answer exceeds what the client reads (1048576 bytes of body, 64 KiB of headers); not read further");
        server.Requests.Should().ContainSingle("an answer too large would be as large again");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
    }

    [Theory]
    [InlineData("file:///etc/passwd", "file:///etc/passwd")]
    [InlineData("http://user:pw@127.0.0.2:1/api/v1/agents", "http://127.0.0.2:1/api/v1/agents")]
    [InlineData("/elsewhere/api/v1/agents", "/elsewhere/api/v1/agents")]
    public async Task A_redirect_is_reported_with_its_target_and_not_followed(string location, string shown)
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Fallback = c =>
        {
            c.Response.StatusCode = 302;
            c.Response.Headers.Location = location;
            return Task.CompletedTask;
        };
        using var factory = new ClientFactory(server.BaseUrl, Token);

        var result = await factory.Client.ListAsync("agents", CancellationToken.None);

        result.Outcome.Should().Be(PlatformOutcome.Unavailable);
        result.Message.Should().Be($"GET agents: 302 Found (redirected to {shown}; redirects are not followed: give the address the platform answers at)");
        server.Requests.Should().ContainSingle();
    }

    [Theory]
    [InlineData("sso-providers", "oidc", "clientSecret", 400)]
    [InlineData("channels", "telegram", "token", 500)]
    [InlineData("channels", "line", "accessToken", 422)]
    public async Task A_secret_the_platform_echoes_in_its_error_is_masked(string collection, string block, string field, int status)
    {
        const string secret = "CANARY-s3cr\"t-é+<x>";
        await using var server = await ScriptedServer.StartAsync();
        server.Fallback = async c =>
        {
            using var reader = new StreamReader(c.Request.Body, Encoding.UTF8);
            var sent = await reader.ReadToEndAsync();
            var problem = new JsonObject
            {
                ["title"] = "Rejected " + secret,
                ["status"] = status,
                ["detail"] = "got " + sent,
                ["errors"] = new JsonObject { [$"{block}.{field}"] = new JsonArray("not " + secret, "raw " + sent) },
            };
            await ScriptedServer.Json(c, status, problem.ToJsonString());
        };
        using var factory = new ClientFactory(server.BaseUrl, Token, o => o.MaxRetries = 0);
        var body = new JsonObject { ["name"] = "x", [block] = new JsonObject { [field] = secret } };

        var result = await factory.Client.CreateAsync(collection, body, "k", Reason, CancellationToken.None);

        result.IsOk.Should().BeFalse();
        result.Message.Should().Contain("(sensitive value)").And.Contain("\"name\":\"x\"").And.NotContain("CANARY");
        result.FieldErrors!.SelectMany(e => e.Value.Prepend(e.Key)).Should().NotContain(m => m.Contains("CANARY", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(422)]
    [InlineData(500)]
    [InlineData(302)]
    public async Task The_token_the_platform_echoes_in_its_answer_is_masked(int status)
    {
        // A gateway or a platform in debug mode that quotes the request's Authorization header in its error (or in the
        // redirect it answers with): the message goes to CI logs, a resource's status and events.
        await using var server = await ScriptedServer.StartAsync();
        server.Fallback = c =>
        {
            var authorization = c.Request.Headers.Authorization.ToString();
            if (status == 302)
                return ScriptedServer.Status(302, h => h.Location = "http://127.0.0.2:1/login?credential=" + Token)(c);
            var problem = new JsonObject
            {
                ["title"] = "Rejected " + authorization,
                ["status"] = status,
                ["detail"] = "the token " + Token + " is not valid here",
                ["errors"] = new JsonObject { [Token] = new JsonArray(authorization) },
            };
            return ScriptedServer.Json(c, status, problem.ToJsonString());
        };
        using var factory = new ClientFactory(server.BaseUrl, Token, o => o.MaxRetries = 0);

        var result = await factory.Client.ListAsync("agents", CancellationToken.None);

        result.IsOk.Should().BeFalse();
        result.Message.Should().Contain("(sensitive value)").And.NotContain(Token);
        (result.FieldErrors ?? new Dictionary<string, string[]>()).SelectMany(e => e.Value.Prepend(e.Key)).Should().NotContain(m => m.Contains(Token, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(403, """{"title":"Denied\u001b]0;PWNED\u0007","status":403,"detail":"x\u001b[2J\u009b31m","errors":{"a\u001b[1m":["b\u0007"]}}""")]
    [InlineData(200, """{"items":[{"id":"1","key":"a","version":1,"labels":{"\u001b[2Jteam":7}}]}""")]
    public async Task The_platforms_control_characters_reach_no_terminal(int status, string body)
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Fallback = c => ScriptedServer.Json(c, status, body);
        using var factory = new ClientFactory(server.BaseUrl, Token);

        var result = await factory.Client.ListAsync("roles", CancellationToken.None);

        result.IsOk.Should().BeFalse();
        result.Message.Should().Contain("\\u001B");
        result.Message!.Any(char.IsControl).Should().BeFalse();
        (result.FieldErrors ?? new Dictionary<string, string[]>()).SelectMany(e => e.Value.Prepend(e.Key)).Should().NotContain(m => m.Any(char.IsControl));
    }

    [Fact]
    public async Task List_WhenThePlatformRepeatsACursor_FailsInsteadOfLoopingForever()
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Fallback = c => ScriptedServer.Json(c, 200, """{"items":[{"id":"1","key":"a","version":1}],"nextCursor":"same"}""");
        using var factory = new ClientFactory(server.BaseUrl, Token);

        var result = await factory.Client.ListAsync("roles", CancellationToken.None);

        result.Outcome.Should().Be(PlatformOutcome.Unavailable);
        server.Requests.Should().HaveCount(2);
    }

    [Fact]
    public async Task List_WhenThePlatformHandsOutANewCursorWithEveryPage_StopsAtThePageLimit()
    {
        await using var server = await ScriptedServer.StartAsync();
        var cursor = 0;
        server.Fallback = c => ScriptedServer.Json(c, 200, $$"""{"items":[],"nextCursor":"c{{Interlocked.Increment(ref cursor)}}"}""");
        using var factory = new ClientFactory(server.BaseUrl, Token, o => o.MaxListPages = 50);

        var result = await factory.Client.ListAsync("roles", CancellationToken.None);

        result.Outcome.Should().Be(PlatformOutcome.Unavailable);
        result.Message.Should().Be("GET roles: the platform names a next page after 50 pages (0 objects), the most a list reads; the list would never end");
        server.Requests.Count.Should().BeInRange(50, 51, "the page asked for ahead is the only one past the limit");
    }

    [Fact]
    public async Task AuditEvents_WithATimeBound_SendItAsSince()
    {
        await using var server = await ScriptedServer.StartAsync();
        using var factory = new ClientFactory(server.BaseUrl, Token);

        await factory.Client.ListAuditEventsAsync(new AuditQuery(Collection: "agents", Since: new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.FromHours(2))), CancellationToken.None);

        server.Requests.Single().PathAndQuery.Should().Be("/api/v1/audit-events?limit=1000&since=2025-03-01T10%3A00%3A00.0000000Z&collection=agents");
    }

    [Fact]
    public async Task AuditEvents_AfterASequence_AskForItAsTheContractNamesIt_WithATimeBoundBeside()
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Fallback = c => ScriptedServer.Json(c, 200, """{"items":[],"latestSequence":42}""");
        using var factory = new ClientFactory(server.BaseUrl, Token);

        await factory.Client.ListAuditEventsAsync(new AuditQuery(AfterSequence: 41, Since: new DateTimeOffset(2025, 3, 1, 10, 0, 0, TimeSpan.Zero)), CancellationToken.None);
        var feed = await ((IAuditFeed)factory.Client).ReadAuditFeedAsync(42, CancellationToken.None);

        server.Requests.Select(r => r.PathAndQuery).Should().Equal(
            "/api/v1/audit-events?limit=1000&afterSequence=41&since=2025-03-01T10%3A00%3A00.0000000Z",
            "/api/v1/audit-events?limit=1000&afterSequence=42");
        feed.Value!.LatestSequence.Should().Be(42);
    }

    [Fact]
    public async Task AuditEvents_AreReadWithTheirChangedFields_AndAnEventWithoutChangesHasNone()
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Fallback = c => ScriptedServer.Json(c, 200, """
            {"items":[
              {"id":"ev-1","sequence":7,"at":"2025-03-01T10:00:00Z","actor":"ana@example.com","action":"update","collection":"agents","objectId":"ag-1","key":"a@example.com",
               "changes":[{"field":"displayName","from":"A","to":"B"},{"field":"level","from":"L1","to":"L2"}],"reason":"hand edit","requestId":"r-1"},
              {"id":"ev-2","sequence":8,"at":"2025-03-01T10:01:00Z","actor":"scim","action":"delete","collection":"agents","objectId":"ag-2","key":"b@example.com"}
            ]}
            """);
        using var factory = new ClientFactory(server.BaseUrl, Token);

        var events = await factory.Client.ListAuditEventsAsync(new AuditQuery(Collection: "agents"), CancellationToken.None);

        events.Value.Should().HaveCount(2);
        events.Value![0].Should().BeEquivalentTo(new { Sequence = 7L, Actor = "ana@example.com", Action = "update", ObjectId = "ag-1", Reason = "hand edit", RequestId = "r-1" });
        events.Value[0].ChangedFields.Should().Equal("displayName", "level");
        events.Value[1].ChangedFields.Should().BeEmpty();
        events.Value[1].Reason.Should().BeNull();
    }

    [Fact]
    public async Task Logs_NeverContainTheTokenOrBodies()
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Then(ScriptedServer.Status(503, h => h.RetryAfter = "0"));
        using var factory = new ClientFactory(server.BaseUrl, Token);

        await factory.Client.CreateAsync("sso-providers", new JsonObject { ["clientSecret"] = "CANARY-body" }, "k", Reason, CancellationToken.None);

        server.Requests.First().Headers.Authorization.ToString().Should().Be($"Bearer {Token}");
        factory.Logs.Should().NotBeEmpty();
        factory.Logs.Should().NotContain(l => l.Contains(Token, StringComparison.Ordinal) || l.Contains("CANARY", StringComparison.Ordinal));
    }

    [Fact]
    public void AddAdminApiClient_RejectsInvalidOptionsAtStart()
    {
        var services = new ServiceCollection();
        var act = () => services.AddAdminApiClient(o => o.BaseUrl = new Uri("ftp://x/"));
        act.Should().Throw<OptionsValidationException>().Which.Failures.Should().HaveCount(2);
    }

    [Theory]
    [InlineData("BaseDelay", -1)]
    [InlineData("BaseDelay", 24 * 3600 + 1)]
    [InlineData("MaxDelay", -1)]
    [InlineData("MaxDelay", 24 * 3600 + 1)]
    [InlineData("UnreachableAfter", -1)]
    [InlineData("AttemptTimeout", 0)]
    [InlineData("AttemptTimeout", 25 * 24 * 3600)]
    public void Retry_settings_the_retry_pipeline_would_refuse_are_refused_at_start(string setting, int seconds)
    {
        var options = new AdminApiClientOptions { BaseUrl = new Uri("http://127.0.0.1:1/"), TokenProvider = new StaticTokenProvider(Token) };
        typeof(AdminApiClientOptions).GetProperty(setting)!.SetValue(options, TimeSpan.FromSeconds(seconds));

        var act = () => AdminApiClientOptionsValidator.ThrowIfInvalid(options);

        act.Should().Throw<OptionsValidationException>().Which.Failures.Should().ContainSingle().Which.Should().Contain(setting);
    }

    [Fact]
    public void An_attempt_timeout_too_short_to_give_the_connection_half_of_it_is_refused_at_start()
    {
        var options = new AdminApiClientOptions { BaseUrl = new Uri("http://127.0.0.1:1/"), TokenProvider = new StaticTokenProvider(Token), AttemptTimeout = TimeSpan.FromTicks(1) };

        var act = () => AdminApiClientOptionsValidator.ThrowIfInvalid(options);

        act.Should().Throw<OptionsValidationException>().Which.Failures.Should().ContainSingle().Which.Should().Contain("AttemptTimeout must be at least 1 ms");
    }

    [Fact]
    public async Task RateBudget_SpacesRequests()
    {
        await using var server = await ScriptedServer.StartAsync();
        using var factory = new ClientFactory(server.BaseUrl, Token, o => o.RequestsPerSecond = 5);

        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => factory.Client.ListAsync("roles", CancellationToken.None)));

        watch.Elapsed.Should().BeGreaterThan(TimeSpan.FromMilliseconds(800), "10 requests at 5/s need a second refill");
    }
}
