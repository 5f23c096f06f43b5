using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Reconciler.Core.Platform;

namespace Reconciler.Cli.Tests.Integration;

/// <summary>
/// <c>apply</c> against the real platform behind a <see cref="FaultProxy"/> that refuses the Okta provider's create and
/// quotes its client secret in the problem's detail, written as platforms and gateways write it: escaped for JSON by
/// another serializer, URL-encoded, base64-encoded, cut short, trimmed. None of those forms may reach any output.
/// </summary>
public sealed class SecretEchoIntegrationTests
{
    private const string Apply = "apply -f acme-support --auto-approve --platform-url {url} -o json";
    private const string OktaSecret = "RECONCILER_SECRET_SSO_OKTA_CLIENTSECRET";

    /// <summary>A secret and how the platform's error quotes it.</summary>
    public static TheoryData<string, string, Func<string, string>> Echoes => new()
    {
        { "as sent", "CANARY-okta-5e6f7a8b", s => s },
        { "regex metacharacters", "CANARY.*+?[x](y){2}|^$\\d", s => s },
        { "escaped for JSON by System.Text.Json", "CANARY<\"&'>+é", s => JsonValue.Create(s).ToJsonString()[1..^1] },
        { "a quote escaped with a backslash", "CANARY\"quoted\"", s => s.Replace("\"", "\\\"", StringComparison.Ordinal) },
        { "a slash escaped with a backslash", "CANARY/slash/x", s => s.Replace("/", "\\/", StringComparison.Ordinal) },
        { "lower-case unicode escapes", "CANARY-é-ü", s => s.Replace("é", "\\u00e9", StringComparison.Ordinal).Replace("ü", "\\u00fc", StringComparison.Ordinal) },
        { "a line break escaped for JSON", "CANARY-line\nbreak", s => s.Replace("\n", "\\n", StringComparison.Ordinal) },
        { "URL-encoded", "CANARY+key/=x y", Uri.EscapeDataString },
        { "form-encoded", "CANARY+key/=x y", s => System.Net.WebUtility.UrlEncode(s) },
        { "base64", "CANARY-okta-5e6f7a8b", s => Convert.ToBase64String(Encoding.UTF8.GetBytes(s)) },
        { "base64 of client id and secret (HTTP Basic)", "CANARY-okta-5e6f7a8b", s => Convert.ToBase64String(Encoding.UTF8.GetBytes("0oa1b2c3d4e5:" + s)) },
        { "cut short", "CANARY-okta-5e6f7a8b", s => s[..14] + "..." },
        { "its end", "CANARY-okta-5e6f7a8b", s => "..." + s[^12..] },
        { "trimmed of its spaces", "  CANARY-padded-secret  ", s => s.Trim() },
        { "split in two", "CANARY-okta-5e6f7a8b", s => s[..10] + "', '" + s[10..] },
        { "inside other text", "CANARY-okta-5e6f7a8b", s => "id-" + s + "-suffix" },
        { "a line break as sent", "CANARY-line\nbreak", s => s },
    };

    [Theory]
    [MemberData(nameof(Echoes))]
    public async Task A_client_secret_the_platform_quotes_in_an_error_is_masked_in_every_output(string form, string secret, Func<string, string> echo)
    {
        await using var cli = await CliHarness.StartAsync();
        cli.Variables[OktaSecret] = secret;
        await using var proxy = await RefusingOktaAsync(cli, echo);

        var run = await cli.RunAsync(Apply.Replace("{url}", proxy.BaseUrl.ToString(), StringComparison.Ordinal));

        run.ExitCode.Should().Be(1, run.ToString());
        var message = (string?)JsonNode.Parse(run.Output)!["results"]!.AsArray().Single(r => (string?)r!["address"] == "SsoProvider/okta")!["message"];
        message.Should().Contain("could not take the client secret", form).And.Contain("(sensitive value)", form);
        cli.Transcript.Should().NotContain(t => t.Contains(echo(secret), StringComparison.Ordinal) || t.Contains(secret, StringComparison.Ordinal), form);
    }

    /// <summary>
    /// A secret file's line break at its end is not part of the value (<c>echo secret &gt; file</c> writes one); its spaces
    /// are. The value sent is the one masked, also where the platform quotes it trimmed.
    /// </summary>
    [Theory]
    [InlineData("CANARY-file-secret\n", "CANARY-file-secret")]
    [InlineData("CANARY-file-secret\r\n\n", "CANARY-file-secret")]
    [InlineData("  CANARY-file-secret \n", "  CANARY-file-secret ")]
    public async Task A_secret_files_value_is_sent_without_its_last_line_break_and_masked_as_sent(string content, string sent)
    {
        await using var cli = await CliHarness.StartAsync();
        cli.Variables.Remove(OktaSecret);
        var folder = Directory.CreateDirectory(Path.Combine(cli.Directory, "secrets", "sso-okta"));
        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "clientSecret"), content);
        var received = new List<string>();
        await using var proxy = await RefusingOktaAsync(cli, s =>
        {
            received.Add(s);
            return $"{s} (trimmed: {s.Trim()})";
        });

        var run = await cli.RunAsync(Apply.Replace("{url}", proxy.BaseUrl.ToString(), StringComparison.Ordinal) + " --secrets-dir secrets");

        run.ExitCode.Should().Be(1, run.ToString());
        received.Should().Equal(sent);
        cli.AssertNoCanary();
    }

    /// <summary>A gateway that refuses the token quoting it, as sent and encoded, in its answer and in a 503 before it; -v logs every attempt.</summary>
    [Fact]
    public async Task The_token_a_gateway_quotes_in_its_refusal_is_masked_in_output_and_verbose_logs()
    {
        await using var cli = await CliHarness.StartAsync();
        await using var proxy = await FaultProxy.StartAsync(cli.Platform.BaseUrl);
        var attempts = 0;
        proxy.Handle = async (context, forward) =>
        {
            var token = context.Request.Headers.Authorization.ToString()["Bearer ".Length..];
            context.Response.StatusCode = Interlocked.Increment(ref attempts) == 1 ? 503 : 401;
            context.Response.ContentType = "application/problem+json";
            var detail = $"token {token}, {Uri.EscapeDataString(token)}, {Convert.ToBase64String(Encoding.UTF8.GetBytes("bot:" + token))}, {token[..10]}...";
            await context.Response.WriteAsync(new JsonObject { ["title"] = "Refused " + token, ["status"] = context.Response.StatusCode, ["detail"] = detail }.ToJsonString());
        };

        var run = await cli.RunAsync("plan -f acme-support -v --platform-url " + proxy.BaseUrl);

        run.ExitCode.Should().Be(1, run.ToString());
        run.Error.Should().Contain("401").And.Contain("(sensitive value)");
        var start = CliHarness.ReconcilerToken[..10];
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes("bot:" + CliHarness.ReconcilerToken))[8..];
        cli.Transcript.Should().NotContain(t => t.Contains(start, StringComparison.Ordinal) || t.Contains(encoded, StringComparison.Ordinal));
    }

    /// <summary>
    /// A one-letter secret cannot be masked wherever its letter stands: every "a" in the message would become the mask,
    /// and the mask's places would spell the secret out. Where it stands alone it is masked.
    /// </summary>
    [Fact]
    public async Task A_one_letter_secret_is_masked_where_it_stands_alone_and_leaves_the_words_around_it()
    {
        await using var cli = await CliHarness.StartAsync();
        cli.Variables[OktaSecret] = "a";
        await using var proxy = await RefusingOktaAsync(cli, s => $"\"{s}\"");

        var run = await cli.RunAsync(Apply.Replace("{url}", proxy.BaseUrl.ToString(), StringComparison.Ordinal));

        run.ExitCode.Should().Be(1, run.ToString());
        var message = (string?)JsonNode.Parse(run.Output)!["results"]!.AsArray().Single(r => (string?)r!["address"] == "SsoProvider/okta")!["message"];
        message.Should().Contain("could not take the client secret \"(sensitive value)\"");
    }

    /// <summary>
    /// A platform that breaks its contract and returns write-only fields when read (the client secret a console user
    /// set, a bot token): plans in every format, a saved plan, an export and the state folder must not show them.
    /// </summary>
    [Fact]
    public async Task Write_only_values_a_platform_returns_when_read_appear_in_no_plan_export_or_state_file()
    {
        const string Stored = "CANARY-stored-on-the-platform";
        await using var cli = await CliHarness.StartAsync();
        (await cli.RunAsync("apply -f acme-support --auto-approve --platform-url {url}")).ExitCode.Should().Be(0);
        await cli.EditAsync("sso-providers", "okta", o => o["displayName"] = "Okta (console)");
        await using var proxy = await FaultProxy.StartAsync(cli.Platform.BaseUrl);
        proxy.Handle = async (context, forward) =>
        {
            var answer = await forward();
            if (context.Request.Method != "GET" || answer.Status != 200 || JsonNode.Parse(answer.Body) is not JsonObject page || page["items"] is not JsonArray items)
            {
                await answer.WriteAsync(context);
                return;
            }

            foreach (var item in items.OfType<JsonObject>())
            {
                foreach (var block in new[] { "oidc", "telegram", "line", "pushNotifications" })
                {
                    if (item[block] is JsonObject settings)
                    {
                        settings["clientSecret"] = Stored;
                        settings["token"] = Stored;
                        settings["channelSecret"] = Stored;
                        settings["accessToken"] = Stored;
                        settings["serviceAccountKey"] = Stored;
                    }
                }
            }

            await (answer with { Body = Encoding.UTF8.GetBytes(page.ToJsonString()), Headers = [.. answer.Headers.Where(h => !h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))] }).WriteAsync(context);
        };
        var url = " --platform-url " + proxy.BaseUrl;
        await using (var reader = TestAdminClient.Services(proxy.BaseUrl, CliHarness.ReconcilerToken))
        {
            var read = await reader.GetRequiredService<IPlatformClient>().ListAsync("sso-providers", CancellationToken.None);
            read.Value!.Single(o => o.Key == "okta").Fields["oidc"]!["clientSecret"]!.GetValue<string>().Should().Be(Stored, "the platform returns the write-only field");
        }

        var runs = new[]
        {
            await cli.RunAsync("plan -f acme-support" + url),
            await cli.RunAsync("plan -f acme-support -o json" + url),
            await cli.RunAsync("plan -f acme-support -o markdown" + url),
            await cli.RunAsync("plan -f acme-support -out org.plan" + url),
            await cli.RunAsync("export --output-dir exported" + url),
        };

        runs.Should().OnlyContain(r => r.ExitCode == 0 || r.ExitCode == 2, string.Join("\n", runs.Select(r => r.ToString())));
        runs[0].Output.Should().Contain("Okta (console)", "the plan shows the drift it corrects");
        cli.AssertNoCanary();
        foreach (var file in Directory.EnumerateFiles(cli.Directory, "*", SearchOption.AllDirectories).Where(f => !f.Contains("platform.db", StringComparison.Ordinal)))
            (await File.ReadAllTextAsync(file)).Should().NotContain(Stored, file);
    }

    /// <summary>
    /// A secret that is also a name (the provider's own): the platform's words cannot tell one from the other, so both are
    /// masked there; what the CLI itself says (the resource's address, the plan) names the resource as it is.
    /// </summary>
    [Fact]
    public async Task A_secret_equal_to_a_name_is_masked_in_the_platforms_words_and_the_name_stays_in_the_clis()
    {
        await using var cli = await CliHarness.StartAsync();
        cli.Variables[OktaSecret] = "okta";
        await using var proxy = await RefusingOktaAsync(cli, s => $"\"{s}\" (provider okta)");

        var run = await cli.RunAsync(Apply.Replace("{url}", proxy.BaseUrl.ToString(), StringComparison.Ordinal));

        run.ExitCode.Should().Be(1, run.ToString());
        var result = JsonNode.Parse(run.Output)!["results"]!.AsArray().Single(r => (string?)r!["address"] == "SsoProvider/okta")!;
        ((string?)result["message"]).Should().EndWith("could not take the client secret \"(sensitive value)\" (provider (sensitive value))");
    }

    /// <summary>A proxy in front of the platform that answers the Okta provider's create 422, quoting its client secret as <paramref name="echo"/> writes it.</summary>
    private static async Task<FaultProxy> RefusingOktaAsync(CliHarness cli, Func<string, string> echo)
    {
        var proxy = await FaultProxy.StartAsync(cli.Platform.BaseUrl);
        proxy.Handle = async (context, forward) =>
        {
            if (context.Request.Method == "POST" && context.Request.Path.Value!.EndsWith("/sso-providers", StringComparison.Ordinal))
            {
                var sent = JsonNode.Parse(await new StreamReader(context.Request.Body).ReadToEndAsync())!;
                if ((string?)sent["name"] == "okta")
                {
                    context.Response.StatusCode = 422;
                    context.Response.ContentType = "application/problem+json";
                    var detail = "could not take the client secret " + echo((string)sent["oidc"]!["clientSecret"]!);
                    await context.Response.WriteAsync(new JsonObject { ["title"] = "Invalid", ["status"] = 422, ["detail"] = detail }.ToJsonString());
                    return;
                }

                context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(sent.ToJsonString()));
            }

            await (await forward()).WriteAsync(context);
        };
        return proxy;
    }
}
