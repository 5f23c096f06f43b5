using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Reconciler.Platform.Contract;
using Xunit.Abstractions;

namespace Reconciler.Operator.Tests.EndToEnd;

/// <summary>
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set on a real operator process: its metrics and spans arrive over OTLP/HTTP at a
/// loopback receiver, and the trace id the platform audited for a write is among the exported spans.
/// </summary>
public sealed class OtlpExportTests(ITestOutputHelper output)
{
    [Fact]
    public async Task With_the_otlp_endpoint_set_metrics_and_the_audited_reconcile_span_are_exported_and_carry_no_secret()
    {
        var posts = new ConcurrentQueue<(string Path, string ContentType, byte[] Body)>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var receiver = builder.Build();
        receiver.MapPost("/v1/{signal}", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            posts.Enqueue((context.Request.Path.Value!, context.Request.ContentType ?? "", body.ToArray()));
            return Results.Ok();
        });
        await receiver.StartAsync();

        await using var fixture = await OperatorFixture.StartAsync();
        var kubeconfig = Path.Combine(Path.GetTempPath(), $"otlp-kubeconfig-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(kubeconfig, fixture.Kube.CreateKubeconfig(OperatorFixture.Namespace));
        try
        {
            await using var process = OperatorProcess.Start(
                new Dictionary<string, string?>
                {
                    ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Urls.First(),
                    ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                    ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
                    ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
                },
                "--kubeconfig", kubeconfig, "--namespace", OperatorFixture.Namespace,
                "--metrics-address", "http://127.0.0.1:0", "--health-address", "http://127.0.0.1:0",
                "--leader-election", "false", "--identity", "otlp-test");
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            await process.WaitForOkAsync(http, new Uri(await process.ListeningUrlAsync("health"), "readyz"));
            await fixture.ConnectAsync();
            await fixture.CreateAsync("Role", "team-lead", new JsonObject
            {
                ["displayName"] = "Team Lead",
                ["permissions"] = new JsonArray("inbox.view"),
            });
            await fixture.CreateSecretAsync("sso-okta", "clientSecret", "CANARY-okta-secret");
            await fixture.CreateAsync("SsoProvider", "okta", new JsonObject
            {
                ["type"] = "Okta",
                ["allowedDomains"] = new JsonArray("acme.example"),
                ["oidc"] = new JsonObject { ["issuerUrl"] = "https://acme.okta.example/oauth2/default", ["clientId"] = "abc", ["clientSecretRef"] = new JsonObject { ["name"] = "sso-okta", ["key"] = "clientSecret" } },
            });
            await OperatorFixture.EventuallyAsync(async () => OperatorFixture.IsSynced(await fixture.GetAsync("Role", "team-lead")), "the Role synced", TimeSpan.FromSeconds(60));
            await OperatorFixture.EventuallyAsync(async () => OperatorFixture.IsSynced(await fixture.GetAsync("SsoProvider", "okta")), "the SsoProvider synced", TimeSpan.FromSeconds(60));
            var traceId = await AuditedTraceIdAsync(fixture, (await fixture.GetAsync("Role", "team-lead")).Status!["id"]!.GetValue<string>());
            var traceIdBytes = Convert.FromHexString(traceId);

            await OperatorFixture.EventuallyAsync(
                () => Task.FromResult(posts.Any(p => p.Path == "/v1/traces" && p.Body.AsSpan().IndexOf(traceIdBytes) >= 0 && Contains(p.Body, "reconcile Role"))),
                "the span of the reconcile that created the role exported", TimeSpan.FromSeconds(20));
            await OperatorFixture.EventuallyAsync(
                () => Task.FromResult(posts.Any(p => p.Path == "/v1/metrics" && Contains(p.Body, "controller_runtime_reconcile_total") && Contains(p.Body, "reconciler-operator"))),
                "the metrics exported", TimeSpan.FromSeconds(20));
            posts.Should().OnlyContain(p => p.ContentType == "application/x-protobuf");
            posts.Should().NotContain(p => Contains(p.Body, "CANARY") || Contains(p.Body, OperatorFixture.OperatorToken), "no span, attribute or metric label carries a secret or the token");
            output.WriteLine($"{posts.Count} OTLP posts: {posts.Count(p => p.Path == "/v1/traces")} traces, {posts.Count(p => p.Path == "/v1/metrics")} metrics; audited trace id {traceId}");
            (await process.TerminateAsync(TimeSpan.FromSeconds(10))).Should().Be(0, process.Output);
            process.Output.Should().NotContain("CANARY").And.NotContain(OperatorFixture.OperatorToken);
        }
        finally
        {
            File.Delete(kubeconfig);
            await receiver.StopAsync();
        }
    }

    private static bool Contains(byte[] body, string text) => body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;

    private static async Task<string> AuditedTraceIdAsync(OperatorFixture fixture, string objectId)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(fixture.Platform.BaseUrl, $"api/v1/audit-events?objectId={objectId}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", OperatorFixture.HumanToken);
        using var response = await http.SendAsync(request);
        var page = JsonSerializer.Deserialize<AuditEventPage>(await response.Content.ReadAsStringAsync(), WireJson.Options)!;
        return page.Items.Single(e => e.Action == "create").TraceId!;
    }
}
