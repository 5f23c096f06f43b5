using System.Net.Http.Headers;
using System.Text.Json;
using Reconciler.Platform.Contract;

namespace Reconciler.Cli.Tests.Integration;

/// <summary>An apply is one trace: every write it makes reaches the platform's audit trail with the same trace id.</summary>
public sealed class ApplyTraceTests
{
    private const string Apply = "apply -f acme-support --platform-url {url} --auto-approve";

    [Fact]
    public async Task EveryWriteOfOneApply_IsAuditedWithOneTraceId_AndTheNextApplyHasAnother()
    {
        await using var cli = await CliHarness.StartAsync();
        var first = await cli.RunAsync(Apply);
        first.ExitCode.Should().Be(0, first.ToString());
        await cli.EditAsync("agents", "maria.santos@acme.example", f => f["maxConcurrentChats"] = 9);
        var second = await cli.RunAsync(Apply);
        second.ExitCode.Should().Be(0, second.ToString());

        var written = (await AuditAsync(cli)).Where(e => e.Actor == "reconciler-bot").ToList();
        written.Count.Should().BeGreaterThan(10);
        var firstRun = written.SkipLast(1).Select(e => e.TraceId).Distinct().ToList();
        firstRun.Should().ContainSingle().Which.Should().MatchRegex("^[0-9a-f]{32}$");
        written[^1].TraceId.Should().MatchRegex("^[0-9a-f]{32}$").And.NotBe(firstRun[0], "a new apply is a new trace");
        (await AuditAsync(cli)).Where(e => e.Actor != "reconciler-bot" && e.Actor != "system").Should().OnlyContain(e => e.TraceId == null, "the hand edit sent no traceparent");
    }

    private static async Task<List<AuditEventDto>> AuditAsync(CliHarness cli)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(cli.Platform.BaseUrl, "api/v1/audit-events?limit=1000"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", CliHarness.AliceToken);
        using var response = await http.SendAsync(request);
        return JsonSerializer.Deserialize<AuditEventPage>(await response.Content.ReadAsStringAsync(), WireJson.Options)!.Items.ToList();
    }
}
