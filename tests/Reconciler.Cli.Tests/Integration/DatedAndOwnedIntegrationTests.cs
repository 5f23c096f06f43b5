using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Reconciler.Core.Platform;

namespace Reconciler.Cli.Tests.Integration;

/// <summary>Dated changes and fields owned by SCIM, through the CLI against the reference platform.</summary>
public sealed class DatedAndOwnedIntegrationTests
{
    private const string Apply = "apply -f acme-support --auto-approve --platform-url {url}";
    private const string Plan = "plan -f acme-support --platform-url {url}";

    private static readonly DateTimeOffset Monday = new(2026, 12, 7, 9, 0, 0, TimeSpan.FromHours(1));

    private static void EditAgent(CliHarness cli, string name, Func<string, string> edit)
    {
        var file = Directory.GetFiles(Path.Combine(cli.Manifests, "agents")).Single(f => File.ReadAllText(f).Contains($"name: {name}\n", StringComparison.Ordinal));
        var text = File.ReadAllText(file);
        var start = text.IndexOf($"name: {name}\n", StringComparison.Ordinal);
        var end = text.IndexOf("\n---", start, StringComparison.Ordinal) is var e and > 0 ? e : text.Length;
        File.WriteAllText(file, text[..start] + edit(text[start..end]) + text[end..]);
    }

    private static async Task<PlatformObject> MariaAsync(CliHarness cli) =>
        (await cli.ListAsync("agents")).Single(a => a.Key == "maria.santos@acme.example");

    private static async Task<string> RoleOfMariaAsync(CliHarness cli)
    {
        var roleId = (await MariaAsync(cli)).Fields["roleId"]!.ToString();
        return (await cli.ListAsync("roles")).Single(r => r.Id == roleId).Key;
    }

    [Fact]
    public async Task AnAtThatIsNoTime_IsRefusedBeforeAnyPlatformIsStarted()
    {
        await using var cli = await CliHarness.StartAsync();

        var plan = await cli.RunAsync("plan -f acme-support --at yesterday");

        plan.ExitCode.Should().Be(1);
        plan.Error.Should().Be("error: --at 'yesterday' is neither an RFC 3339 timestamp with an offset (2026-12-07T09:00:00+01:00) nor a date (2026-12-07)" + Environment.NewLine);
        Directory.Exists(Path.Combine(cli.Directory, ".reconciler")).Should().BeFalse("no embedded platform was started");
    }

    [Fact]
    public async Task APlanOfSomeFiles_StartsAnAtDateInTheOrganisationsZone_AsThePlatformHasIt()
    {
        await using var cli = await CliHarness.StartAsync();
        (await cli.RunAsync(Apply)).ExitCode.Should().Be(0);

        // No Organization among the files: its time zone (Europe/Berlin) is the platform's, as for the agents' own dates.
        var review = await cli.RunAsync("plan -f acme-support/agents/latam.yaml --platform-url {url} --at 2026-12-07 -o json");

        review.ExitCode.Should().Be(0, review.ToString());
        DateTimeOffset.Parse(JsonNode.Parse(review.Output)!["evaluated_at"]!.GetValue<string>(), CultureInfo.InvariantCulture)
            .Should().Be(new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.FromHours(1)), "--at 2026-12-07 is the start of that day in the organisation's time zone");
    }

    [Fact]
    public async Task ACronRun_AppliesWhatIsDue_AndPlanListsWhatComes()
    {
        await using var cli = await CliHarness.StartAsync();
        var clock = new FakeTimeProvider(Monday.AddDays(-1));
        cli.Time = clock;
        EditAgent(cli, "maria-santos", spec => spec + "\n  temporary:\n    - {roleRef: {name: admin}, from: 2026-12-07, until: 2026-12-11, reason: covering for Sofia}");
        var first = await cli.RunAsync(Apply);
        first.ExitCode.Should().Be(0, first.Output + first.Error);
        (await RoleOfMariaAsync(cli)).Should().Be("supervisor");

        var plan = await cli.RunAsync(Plan);
        plan.Output.Should().Contain("No changes.").And.Contain("in 15 hours: Maria Santos to role admin (Agent/maria-santos, at 2026-12-07 00:00 +01:00)")
            .And.Contain("Maria Santos back to role supervisor (Agent/maria-santos, at 2026-12-12 00:00 +01:00)");
        var review = await cli.RunAsync(Plan + " --at 2026-12-08 -o json");
        var json = JsonNode.Parse(review.Output)!;
        json["resource_changes"]!.AsArray().Select(c => c!["address"]!.GetValue<string>()).Should().Equal("Agent/maria-santos");
        json["evaluated_at"]!.GetValue<string>().Should().StartWith("2026-12-08T00:00:00");
        review.Error.Should().Contain("Dated changes evaluated at 2026-12-08 00:00 +01:00 (--at), not now");
        (await cli.RunAsync(Plan + " --at 2026-12-08 -out later.plan")).ExitCode.Should().Be(1, "a plan for another time cannot be saved for apply");

        clock.SetUtcNow(Monday);
        (await cli.RunAsync(Apply)).ExitCode.Should().Be(0);
        (await RoleOfMariaAsync(cli)).Should().Be("admin");

        clock.SetUtcNow(new DateTimeOffset(2026, 12, 12, 0, 0, 0, TimeSpan.FromHours(1)));
        (await cli.RunAsync(Apply)).ExitCode.Should().Be(0);
        (await RoleOfMariaAsync(cli)).Should().Be("supervisor");
    }

    [Fact]
    public async Task ScimOwnedFields_AreLeftToScim_AndOtherChangesAreAttributedToIt()
    {
        await using var cli = await CliHarness.StartAsync();
        var connection = Path.Combine(cli.Manifests, "platform-connection.yaml");
        File.AppendAllText(connection, "  fieldOwners:\n    scim: [Agent.email, Agent.displayName, Agent.active]\n");
        var validate = await cli.RunAsync($"validate -f {cli.Manifests}");
        validate.ExitCode.Should().Be(0, "an owned field set in a manifest is a warning: " + validate.Output + validate.Error);
        (validate.Output + validate.Error).Should().Contain("spec.displayName: owned by scim");
        (await cli.RunAsync(Apply)).ExitCode.Should().Be(0);

        var maria = await MariaAsync(cli);
        var body = (JsonObject)maria.Fields.DeepClone();
        body["displayName"] = "Maria Santos-Lima";
        body["active"] = false;
        body["level"] = "Expert";
        body["labels"] = new JsonObject([.. maria.Labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))]);
        (await cli.Scim.ReplaceAsync("agents", maria.Id, maria.Version, body, new ChangeReason("scim provisioning"), CancellationToken.None)).IsOk.Should().BeTrue();

        var plan = await cli.RunAsync(Plan);
        plan.Output.Should().Contain("~ Agent/maria-santos").And.Contain("spec.level").And.Contain("drift: changed on the platform by scim")
            .And.Contain("# spec.email, spec.displayName, spec.active: owned by scim (left as the platform has them)")
            .And.NotContain("Maria Santos-Lima");
        (await cli.RunAsync(Apply)).ExitCode.Should().Be(0);
        var after = await MariaAsync(cli);
        (after.Fields["displayName"]!.GetValue<string>(), after.Fields["active"]!.GetValue<bool>(), after.Fields["level"]!.GetValue<string>())
            .Should().Be(("Maria Santos-Lima", false, "L2"));
    }
}
