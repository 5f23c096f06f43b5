using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Reconciler.Cli.Tests.Spreadsheets;

namespace Reconciler.Cli.Tests.Integration;

/// <summary>
/// Agent invitations through the CLI against the reference platform over HTTP: apply invites, the person accepts, no
/// plan invites them again, and <c>report invitations</c> lists the ones still pending.
/// </summary>
public sealed class AgentInvitationIntegrationTests
{
    private const string Apply = "apply -f acme-support --auto-approve --platform-url {url}";
    private const string Plan = "plan -f acme-support --detailed-exitcode --platform-url {url}";
    private const string Budi = "budi.santoso@acme.example";

    [Fact]
    public async Task Applied_agents_are_invited_an_accepted_one_is_never_invited_again_and_the_report_lists_the_others()
    {
        await using var cli = await CliHarness.StartAsync();
        var first = await cli.RunAsync(Plan);
        first.Output.Should().Contain("      # invitation will be sent to budi.santoso@acme.example\n")
            .And.Contain("      # no invitation is sent while the agent is inactive; it is sent when the agent is activated\n");

        (await cli.RunAsync(Apply)).ExitCode.Should().Be(0);
        var agents = await cli.ListAsync("agents");
        agents.Where(a => a.Fields["active"]!.GetValue<bool>()).Should().OnlyContain(a => a.Fields["invitation"]!["state"]!.GetValue<string>() == "Invited");
        agents.Single(a => a.Key == "mia.keller@acme.example").Fields["invitation"].Should().BeNull("an agent saved inactive is not invited yet");

        var accepted = await AcceptAsync(cli, Budi);
        var unchanged = await cli.RunAsync(Plan);
        unchanged.ExitCode.Should().Be(0, unchanged.ToString());
        unchanged.Output.Should().NotContain("invitation");

        await SetActiveAsync(cli, "budi-santoso", false);
        var deactivate = await cli.RunAsync(Plan);
        deactivate.Output.Should().Contain("~ Agent/budi-santoso").And.Contain("active: true -> false").And.NotContain("invitation");
        (await cli.RunAsync(Apply)).ExitCode.Should().Be(0);
        await SetActiveAsync(cli, "budi-santoso", true);
        var reactivate = await cli.RunAsync(Plan);
        reactivate.Output.Should().Contain("active: false -> true").And.NotContain("invitation", "an accepted invitation is never sent again");
        (await cli.RunAsync(Apply)).ExitCode.Should().Be(0);
        var budi = (await cli.ListAsync("agents")).Single(a => a.Key == Budi);
        budi.Fields["invitation"]!.ToJsonString().Should().Be(accepted.ToJsonString());

        await SetActiveAsync(cli, "mia-keller", true);
        (await cli.RunAsync(Plan)).Output.Should().Contain("      # invitation will be sent to mia.keller@acme.example\n");

        cli.Time = new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(3).AddHours(1));
        var report = await cli.RunAsync("report invitations -o json --platform-url {url}");
        report.ExitCode.Should().Be(0, report.ToString());
        var rows = JsonNode.Parse(report.Output)!.AsArray();
        var pending = agents.Where(a => a.Fields["active"]!.GetValue<bool>() && a.Key != Budi).Select(a => a.Key).ToList();
        rows.Select(r => r!["email"]!.GetValue<string>()).Should().BeEquivalentTo(pending);
        rows.Should().OnlyContain(r => r!["invitation"]!.GetValue<string>() == "Invited" && r["ageInDays"]!.GetValue<long>() == 3 && r["invitedAt"] != null);

        var agentsReport = await cli.RunAsync("report agents -o json --platform-url {url}");
        agentsReport.ExitCode.Should().Be(0, "numbers and booleans are written as JSON values: " + agentsReport);
        JsonNode.Parse(agentsReport.Output)!.AsArray().Should().Contain(r => r!["maxConcurrentChats"]!.GetValue<int>() == 6 && r["active"]!.GetValue<bool>());
    }

    [OpenpyxlFact]
    public async Task The_invitations_report_in_xlsx_has_real_dates_and_day_counts_as_openpyxl_reads_them()
    {
        await using var cli = await CliHarness.StartAsync();
        (await cli.RunAsync(Apply)).ExitCode.Should().Be(0);
        await AcceptAsync(cli, Budi);
        cli.Time = new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(10));

        var report = await cli.RunAsync("report invitations -o xlsx --output-file invitations.xlsx --platform-url {url}");

        report.ExitCode.Should().Be(0, report.ToString());
        var sheet = (await SpreadsheetTools.ReadWithOpenpyxlAsync(Path.Combine(cli.Directory, "invitations.xlsx")))["Invitations"]!;
        var rows = sheet["rows"]!.AsArray();
        var header = rows[0]!.AsArray().Select(c => c!["v"]!.GetValue<string>()).ToList();
        header.Should().Equal("Name", "Display name", "Email", "Role", "Status", "Invitation", "Invited", "Age in days");
        sheet["freeze"]!.GetValue<string>().Should().Be("A2");
        var body = rows.Skip(1).Select(r => r!.AsArray()).ToList();
        body.Should().HaveCount((await cli.ListAsync("agents")).Count(a => a.Fields["active"]!.GetValue<bool>()) - 1);
        body.Select(r => r[2]!["v"]!.GetValue<string>()).Should().NotContain(Budi);
        body.Should().OnlyContain(r => r[6]!["t"]!.GetValue<string>() == "d" && r[7]!["t"]!.GetValue<string>() == "n" && r[7]!["v"]!.GetValue<int>() == 10);
    }

    /// <summary>The person follows the invitation link; the reference platform takes that from an admin:write token.</summary>
    private static async Task<JsonNode> AcceptAsync(CliHarness cli, string email)
    {
        var agent = (await cli.ListAsync("agents")).Single(a => a.Key == email);
        using var http = new HttpClient { BaseAddress = cli.Platform.BaseUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", CliHarness.AliceToken);
        var response = await http.PostAsync($"api/v1/agents/{agent.Id}/invitation/accept", null);
        response.IsSuccessStatusCode.Should().BeTrue(await response.Content.ReadAsStringAsync());
        var invitation = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["invitation"]!;
        invitation["state"]!.GetValue<string>().Should().Be("Accepted");
        return invitation;
    }

    private static async Task SetActiveAsync(CliHarness cli, string name, bool active)
    {
        var file = Directory.GetFiles(Path.Combine(cli.Manifests, "agents")).Single(f => File.ReadAllText(f).Contains($"name: {name}\n", StringComparison.Ordinal));
        var text = await File.ReadAllTextAsync(file);
        var start = text.IndexOf($"name: {name}\n", StringComparison.Ordinal);
        var at = text.IndexOf("  active: ", start, StringComparison.Ordinal);
        var end = text.IndexOf('\n', at);
        await File.WriteAllTextAsync(file, text[..at] + $"  active: {(active ? "true" : "false")}" + text[end..]);
    }
}
