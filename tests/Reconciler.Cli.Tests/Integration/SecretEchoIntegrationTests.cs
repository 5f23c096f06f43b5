using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

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
