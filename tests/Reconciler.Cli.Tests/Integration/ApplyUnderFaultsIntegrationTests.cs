using Microsoft.AspNetCore.Http;
using System.Text;
using System.Text.Json.Nodes;
using Reconciler.Core.Platform;

namespace Reconciler.Cli.Tests.Integration;

/// <summary>
/// <c>apply</c> against the real platform behind <see cref="FaultProxy"/>, a server on loopback that answers as a
/// misbehaving platform or gateway does: what the run reports (exit code, summary, <c>-o json</c>) must be what happened.
/// </summary>
public sealed class ApplyUnderFaultsIntegrationTests
{
    private const string Apply = "apply -f acme-support --auto-approve --platform-url {url}";

    private const string NewAgent = """
        apiVersion: support.reconciler.dev/v1alpha1
        kind: Agent
        metadata: {name: new-lead}
        spec: {email: new.lead@acme.example, displayName: New Lead, roleRef: {name: team-lead}, languages: [en]}
        """;

    private const string ShiftLead = """

        ---
        apiVersion: support.reconciler.dev/v1alpha1
        kind: Role
        metadata: {name: shift-lead}
        spec: {displayName: Shift Lead, permissions: [inbox.view]}
        """;

    [Fact]
    public async Task A_replace_answered_without_a_body_keeps_the_id_of_the_object_for_what_references_it()
    {
        await using var cli = await CliHarness.StartAsync();
        (await cli.RunAsync(Apply)).ExitCode.Should().Be(0);
        await using var proxy = await FaultProxy.StartAsync(cli.Platform.BaseUrl);
        // A platform may answer a replace 204 No Content, as many APIs do: the object's id is the one the client sent to.
        proxy.Handle = async (context, forward) =>
        {
            var answer = await forward();
            await (context.Request.Method == "PUT" && answer.Status == 200 ? answer with { Status = 204, Body = [] } : answer).WriteAsync(context);
        };
        await EditAsync(cli, "roles.yaml", "  displayName: Team Lead", "  displayName: Shift Lead");
        await File.WriteAllTextAsync(Path.Combine(cli.Manifests, "new-lead.yaml"), NewAgent);

        var run = await cli.RunAsync(Apply.Replace("{url}", proxy.BaseUrl.ToString(), StringComparison.Ordinal) + " -o json");

        run.ExitCode.Should().Be(0, run.ToString());
        var teamLead = (await cli.ListAsync("roles")).Single(r => r.Key == "team-lead");
        (await cli.ListAsync("agents")).Single(a => a.Key == "new.lead@acme.example").Fields["roleId"]!.GetValue<string>().Should().Be(teamLead.Id);
        var results = JsonNode.Parse(run.Output)!["results"]!.AsArray();
        results.Single(r => (string?)r!["address"] == "Role/team-lead")!["objectId"]!.GetValue<string>().Should().Be(teamLead.Id);
    }

    [Fact]
    public async Task A_create_answered_201_without_a_body_takes_the_id_its_Location_names()
    {
        await using var cli = await CliHarness.StartAsync();
        await using var proxy = await FaultProxy.StartAsync(cli.Platform.BaseUrl);
        proxy.Handle = async (context, forward) =>
        {
            var answer = await forward();
            await (context.Request.Method == "POST" && answer.Status == 201 ? answer with { Body = [] } : answer).WriteAsync(context);
        };

        var run = await cli.RunAsync(Apply.Replace("{url}", proxy.BaseUrl.ToString(), StringComparison.Ordinal));

        run.ExitCode.Should().Be(0, run.ToString());
        var teamLead = (await cli.ListAsync("roles")).Single(r => r.Key == "team-lead");
        (await cli.ListAsync("agents")).Single(a => a.Key == "lukas.becker@acme.example").Fields["roleId"]!.GetValue<string>().Should().Be(teamLead.Id);
        cli.AssertNoCanary();
    }

    [Fact]
    public async Task A_create_answered_201_without_a_body_whose_Location_names_another_object_is_not_reported_created()
    {
        await using var cli = await CliHarness.StartAsync();

        // No body, and another role's Location.
        await ApplyThroughAGatewayAnsweringTheRoleCreateWithAnotherRoleAsync(cli, (answer, other) => answer with
        {
            Body = [],
            Headers = [.. answer.Headers.Where(h => !h.Key.Equals("Location", StringComparison.OrdinalIgnoreCase)), KeyValuePair.Create("Location", new[] { $"/api/v1/roles/{other.Id}" })],
        });
    }

    [Fact]
    public async Task A_create_answered_with_another_object_is_not_reported_created_nor_referenced()
    {
        await using var cli = await CliHarness.StartAsync();

        // The role is made, but the answer is another role.
        await ApplyThroughAGatewayAnsweringTheRoleCreateWithAnotherRoleAsync(cli, (answer, other) => answer with { Body = Encoding.UTF8.GetBytes(other.Fields.ToJsonString()) });

        (await cli.ListAsync("agents")).Should().NotContain(a => a.Key == "new.lead@acme.example", "it would have been given another role");

        var rerun = await cli.RunAsync(Apply);
        rerun.ExitCode.Should().Be(0, rerun.ToString());
        var shiftLead = (await cli.ListAsync("roles")).Should().ContainSingle(r => r.Key == "shift-lead").Subject;
        (await cli.ListAsync("agents")).Single(a => a.Key == "new.lead@acme.example").Fields["roleId"]!.GetValue<string>().Should().Be(shiftLead.Id);
    }

    [Fact]
    public async Task A_replace_whose_answer_was_lost_after_it_was_made_is_reported_updated_once()
    {
        await using var cli = await CliHarness.StartAsync();
        (await cli.RunAsync(Apply)).ExitCode.Should().Be(0);
        await using var proxy = await FaultProxy.StartAsync(cli.Platform.BaseUrl);
        var dropped = 0;
        proxy.Handle = async (context, forward) =>
        {
            var answer = await forward();
            if (context.Request.Method == "PUT" && Interlocked.Exchange(ref dropped, 1) == 0)
                context.Abort();
            else
                await answer.WriteAsync(context);
        };
        await EditAsync(cli, "roles.yaml", "  displayName: Team Lead", "  displayName: Shift Lead");

        var run = await cli.RunAsync(Apply.Replace("{url}", proxy.BaseUrl.ToString(), StringComparison.Ordinal));

        run.ExitCode.Should().Be(0, run.ToString());
        run.Output.Should().Contain("Apply complete: 0 created, 1 updated");
        proxy.Requests.Count(r => r.StartsWith("PUT", StringComparison.Ordinal)).Should().Be(2, "the write was sent again after its answer was lost");
    }

    [Fact]
    public async Task A_create_whose_retry_meets_the_object_its_lost_first_attempt_made_is_reported_created_without_another_write()
    {
        await using var cli = await CliHarness.StartAsync();
        await using var proxy = await FaultProxy.StartAsync(cli.Platform.BaseUrl);
        string? made = null;
        // A platform that keeps no idempotency record: the retry of a create whose answer was lost meets its own object.
        proxy.Handle = async (context, forward) =>
        {
            var first = context.Request.Method == "POST" && context.Request.Path.Value!.EndsWith("/roles", StringComparison.Ordinal) && made is null;
            if (context.Request.Method == "POST" && made is not null && context.Request.Path.Value!.EndsWith("/roles", StringComparison.Ordinal))
            {
                var body = JsonNode.Parse(await new StreamReader(context.Request.Body).ReadToEndAsync())!;
                var existing = (await cli.ListAsync("roles")).Single(r => r.Key == (string?)body["name"]);
                context.Response.StatusCode = 409;
                context.Response.ContentType = "application/problem+json";
                await context.Response.WriteAsync($$"""{"title":"Conflict","status":409,"existingId":"{{existing.Id}}"}""");
                made = null;
                return;
            }

            var answer = await forward();
            if (first && answer.Status == 201)
            {
                made = "yes";
                context.Abort();
                return;
            }

            await answer.WriteAsync(context);
        };

        var run = await cli.RunAsync(Apply.Replace("{url}", proxy.BaseUrl.ToString(), StringComparison.Ordinal) + " --parallelism 1 -o json");

        run.ExitCode.Should().Be(0, run.ToString());
        var roles = JsonNode.Parse(run.Output)!["results"]!.AsArray().Where(r => ((string?)r!["address"])!.StartsWith("Role/", StringComparison.Ordinal)).ToList();
        roles.Should().HaveCount(7).And.OnlyContain(r => (string?)r!["outcome"] == "Created");
        (await cli.ListAsync("roles")).GroupBy(r => r.Key).Should().OnlyContain(g => g.Count() == 1);
        cli.AssertNoCanary();
        proxy.Requests.Should().NotContain(r => r.StartsWith("PUT /api/v1/roles", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_platform_that_takes_a_write_and_does_not_answer_fails_that_resource_saying_so_and_starts_nothing_more()
    {
        await using var cli = await CliHarness.StartAsync();
        (await cli.RunAsync(Apply)).ExitCode.Should().Be(0);
        await using var proxy = await FaultProxy.StartAsync(cli.Platform.BaseUrl);
        // The write reaches the platform, which makes it; its answer never comes back.
        proxy.Handle = async (context, forward) =>
        {
            var answer = await forward();
            if (context.Request.Method == "PUT")
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            await answer.WriteAsync(context);
        };
        await EditAsync(cli, "roles.yaml", "  displayName: Team Lead", "  displayName: Shift Lead");
        var role = (await cli.ListAsync("roles")).Single(r => r.Key == "team-lead");
        var said = $"the platform at {proxy.BaseUrl} accepted the connection but did not answer PUT /api/v1/roles/{role.Id} within 1 s; whether it made the change is not known";

        var text = await cli.RunAsync(Apply.Replace("{url}", proxy.BaseUrl.ToString(), StringComparison.Ordinal) + " --request-timeout 1s");
        await EditAsync(cli, "roles.yaml", "  displayName: Shift Lead", "  displayName: Night Lead");
        var json = await cli.RunAsync(Apply.Replace("{url}", proxy.BaseUrl.ToString(), StringComparison.Ordinal) + " --request-timeout 1s -o json");

        text.ExitCode.Should().Be(1, text.ToString());
        (text.Output + text.Error).Should().Contain(said).And.NotContain("unreachable").And.NotContain("HttpClient").And.NotContain("   at ");
        text.Output.Should().NotContain("1 updated");
        json.ExitCode.Should().Be(1, json.ToString());
        var result = JsonNode.Parse(json.Output)!["results"]!.AsArray().Single(r => (string?)r!["address"] == "Role/team-lead")!;
        ((string?)result["outcome"]).Should().Be("Failed");
        ((string?)result["message"]).Should().Contain(said);
    }

    [Fact]
    public async Task A_plan_whose_read_gets_no_answer_says_the_platform_did_not_answer_in_text_and_json()
    {
        await using var cli = await CliHarness.StartAsync();
        await using var proxy = await FaultProxy.StartAsync(cli.Platform.BaseUrl);
        proxy.Handle = async (context, forward) =>
        {
            if (context.Request.Path.Value!.EndsWith("/agents", StringComparison.Ordinal))
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            await (await forward()).WriteAsync(context);
        };
        var plan = $"plan -f acme-support --platform-url {proxy.BaseUrl} --request-timeout 1s";

        var text = await cli.RunAsync(plan);
        var json = await cli.RunAsync(plan + " -o json");

        var said = $"cannot observe the platform: listing agents: the platform at {proxy.BaseUrl} accepted the connection but did not answer GET /api/v1/agents within 1 s";
        text.ExitCode.Should().Be(1, text.ToString());
        text.Error.Should().Contain($"error: {said}").And.NotContain("unreachable").And.NotContain("   at ");
        json.ExitCode.Should().Be(1, json.ToString());
        var document = JsonNode.Parse(json.Output)!;
        ((bool?)document["errored"]).Should().BeTrue();
        ((string?)document["diagnostics"]![0]!["message"]).Should().Be(said);
        ((string?)document["diagnostics"]![0]!["code"]).Should().Be("platform-unavailable");
    }

    public static TheoryData<string, string, string> ReadsAnsweredWithSomethingElse()
    {
        var data = new TheoryData<string, string, string>();
        // A list answered without its items read as an empty collection, and the plan created all of it again.
        foreach (var body in new[] { "{}", "[]", "", """{"data":[]}""" })
            data.Add("/agents", body, "GET agents: the platform's answer (200) is not the Admin API's JSON");
        // The organisation answered without its id read as one without settings, and the plan changed every field.
        foreach (var body in new[] { "{}", "", """{"displayName":"Acme Support"}""" })
            data.Add("/organization", body, "reading the organisation: GET organization: the platform's answer (200) is not the Admin API's JSON: an object is answered with its 'id', and this answer has none");
        return data;
    }

    [Theory]
    [MemberData(nameof(ReadsAnsweredWithSomethingElse))]
    public async Task A_read_answered_200_with_something_other_than_what_was_asked_for_is_not_planned_from(string path, string body, string error)
    {
        await using var cli = await CliHarness.StartAsync();
        (await cli.RunAsync(Apply)).ExitCode.Should().Be(0);
        await using var proxy = await FaultProxy.StartAsync(cli.Platform.BaseUrl);
        // A gateway or cache in front of the platform that answers a read with something other than what was asked for.
        proxy.Handle = async (context, forward) =>
        {
            if (context.Request.Method == "GET" && context.Request.Path.Value!.EndsWith(path, StringComparison.Ordinal))
            {
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(body);
                return;
            }

            await (await forward()).WriteAsync(context);
        };

        var run = await cli.RunAsync(Apply.Replace("{url}", proxy.BaseUrl.ToString(), StringComparison.Ordinal));

        run.ExitCode.Should().Be(1, run.ToString());
        run.Error.Should().Contain(error);
        run.Output.Should().NotContain("to change");
        proxy.Requests.Should().NotContain(r => !r.StartsWith("GET", StringComparison.Ordinal), "nothing is written from an observation that is not one");
        cli.AssertNoCanary();
    }

    [Fact]
    public async Task A_platform_that_echoes_a_create_with_its_secret_in_its_error_has_it_masked_in_every_output()
    {
        await using var cli = await CliHarness.StartAsync();
        await using var proxy = await FaultProxy.StartAsync(cli.Platform.BaseUrl);
        proxy.Handle = async (context, forward) =>
        {
            if (context.Request.Method == "POST" && context.Request.Path.Value!.EndsWith("/sso-providers", StringComparison.Ordinal))
            {
                var sent = await new StreamReader(context.Request.Body).ReadToEndAsync();
                context.Response.StatusCode = 422;
                context.Response.ContentType = "application/problem+json";
                await context.Response.WriteAsync(new JsonObject { ["title"] = "Invalid", ["status"] = 422, ["detail"] = "could not take " + sent }.ToJsonString());
                return;
            }

            await (await forward()).WriteAsync(context);
        };

        var run = await cli.RunAsync(Apply.Replace("{url}", proxy.BaseUrl.ToString(), StringComparison.Ordinal) + " -o json");

        run.ExitCode.Should().Be(1, run.ToString());
        ((string?)JsonNode.Parse(run.Output)!["results"]!.AsArray().Single(r => (string?)r!["address"] == "SsoProvider/okta")!["message"]).Should().Contain("(sensitive value)");
        cli.AssertNoCanary();
    }

    private static async Task EditAsync(CliHarness cli, string file, string from, string to)
    {
        var path = Path.Combine(cli.Manifests, file);
        var text = await File.ReadAllTextAsync(path);
        text.Should().Contain(from);
        await File.WriteAllTextAsync(path, text.Replace(from, to, StringComparison.Ordinal));
    }

    /// <summary>
    /// Applies a new role and an agent in it through a gateway that answers the role's create from the wrong request
    /// (<paramref name="wrong"/> makes that answer from the platform's and another role's): the role must fail naming
    /// what came back, and the agent be skipped rather than bound to the other role.
    /// </summary>
    private static async Task ApplyThroughAGatewayAnsweringTheRoleCreateWithAnotherRoleAsync(CliHarness cli, Func<UpstreamAnswer, PlatformObject, UpstreamAnswer> wrong)
    {
        (await cli.RunAsync(Apply)).ExitCode.Should().Be(0);
        var other = (await cli.ListAsync("roles")).Single(r => r.Key == "billing-specialist");
        await using var proxy = await FaultProxy.StartAsync(cli.Platform.BaseUrl);
        proxy.Handle = async (context, forward) =>
        {
            var answer = await forward();
            var roleCreated = context.Request.Method == "POST" && context.Request.Path.Value!.EndsWith("/roles", StringComparison.Ordinal) && answer.Status == 201;
            await (roleCreated ? wrong(answer, other) : answer).WriteAsync(context);
        };
        await File.WriteAllTextAsync(Path.Combine(cli.Manifests, "new-lead.yaml"), NewAgent.Replace("team-lead", "shift-lead", StringComparison.Ordinal) + ShiftLead);

        var run = await cli.RunAsync(Apply.Replace("{url}", proxy.BaseUrl.ToString(), StringComparison.Ordinal) + " -o json");

        run.ExitCode.Should().Be(1, run.ToString());
        var results = JsonNode.Parse(run.Output)!["results"]!.AsArray();
        var role = results.Single(r => (string?)r!["address"] == "Role/shift-lead")!;
        ((string?)role["outcome"]).Should().Be("Failed");
        ((string?)role["message"]).Should().Contain("another object ('billing-specialist'");
        ((string?)results.Single(r => (string?)r!["address"] == "Agent/new-lead")!["outcome"]).Should().Be("Skipped");
    }
}
