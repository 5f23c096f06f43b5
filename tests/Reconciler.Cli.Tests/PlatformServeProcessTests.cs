using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Reconciler.Cli.Tests;

/// <summary>
/// Runs <c>reconciler platform serve</c> as a real process (the built reconciler.dll copied next to
/// this assembly) so the command line, token printing and graceful shutdown are tested as users see them.
/// </summary>
public sealed class PlatformServeProcessTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("reconciler-cli-test-").FullName;

    [Fact]
    public async Task Serve_prints_a_generated_token_that_can_list_roles_and_stops_on_sigterm()
    {
        await using var server = await ServerProcess.StartAsync(["--database", Path.Combine(_directory, "platform.db")], token: null);

        var token = server.WaitForLine(l => l.StartsWith("Admin token (generated for local use only): ", StringComparison.Ordinal))
            ["Admin token (generated for local use only): ".Length..].Trim();
        token.Should().StartWith("rp_");

        var roles = await server.GetRolesAsync(token);
        roles.Should().Contain(["admin", "supervisor", "agent", "admin-ally"]);

        var exitCode = await server.StopGracefullyAsync();
        if (!OperatingSystem.IsWindows())
        {
            exitCode.Should().Be(0, "SIGTERM is a graceful stop; output:\n{0}", server.Output);
            server.Output.Should().Contain("Stopped.");
        }
    }

    /// <summary>
    /// A server listens before its database is ready and answers 503 meanwhile; Ctrl+C or SIGTERM in that time ends the
    /// process as the signal does (the server takes the signals only once it serves), not after the database is ready.
    /// </summary>
    [Theory]
    [InlineData("INT", 130)]
    [InlineData("TERM", 143)]
    public async Task A_signal_while_the_database_is_prepared_ends_the_server_at_once(string signal, int exitCode)
    {
        if (OperatingSystem.IsWindows())
            return;
        var path = Path.Combine(_directory, "held.db");
        await using var holder = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False");
        await holder.OpenAsync();
        await using (var exclusive = holder.CreateCommand())
        {
            // The server's migration waits for this lock (SQLite's busy timeout, 30 s).
            exclusive.CommandText = "BEGIN EXCLUSIVE; CREATE TABLE held (x INTEGER);";
            await exclusive.ExecuteNonQueryAsync();
        }

        // Started with SIGINT's default action, as a shell starts a command in the foreground: a test run in the
        // background (CI) inherits SIGINT ignored, and a command keeps an ignored SIGINT (so does the .NET runtime).
        var url = $"http://127.0.0.1:{ServerProcess.FreeLoopbackPort()}";
        var launch = CliLaunch.UnderTest;
        var foreground = new CliLaunch("perl", ["-e", "$SIG{INT} = 'DEFAULT'; exec @ARGV or die", "--", launch.FileName, .. launch.Prefix]);
        using var server = CliProcess.Start(_directory, foreground, ["platform", "serve", "--urls", url, "--database", path]);
        using var client = new HttpClient { BaseAddress = new Uri(url) };
        var early = await WhenListeningAsync(client, server);
        early.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        early.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(1));

        var sent = DateTime.UtcNow;
        using (var kill = System.Diagnostics.Process.Start("kill", [$"-{signal}", server.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await server.Process.WaitForExitAsync(timeout.Token);

        server.Process.ExitCode.Should().Be(exitCode, server.Output);
        (DateTime.UtcNow - sent).Should().BeLessThan(TimeSpan.FromSeconds(15), "the signal does not wait for the database lock");
        server.Output.Should().NotContain("Press Ctrl+C").And.NotContain("Stopped.");
    }

    private static async Task<HttpResponseMessage> WhenListeningAsync(HttpClient client, CliProcess server)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                return await client.GetAsync(new Uri("/healthz", UriKind.Relative));
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !server.Process.HasExited)
            {
                await Task.Delay(50);
            }
        }
    }

    [Fact]
    public async Task Serve_uses_the_token_file_and_does_not_print_a_token()
    {
        var tokenPath = Path.Combine(_directory, "token");
        const string secret = "file-token-0123456789abcdef";
        await File.WriteAllTextAsync(tokenPath, secret + "\n");
        await using var server = await ServerProcess.StartAsync(
            ["--database", Path.Combine(_directory, "platform.db"), "--token-file", tokenPath], token: null);

        server.WaitForLine(l => l.StartsWith("Press Ctrl+C", StringComparison.Ordinal));
        (await server.GetRolesAsync(secret)).Should().Contain("admin");
        server.Output.Should().NotContain("Admin token").And.NotContain(secret);

        using var client = new HttpClient { BaseAddress = server.BaseUrl };
        (await client.GetAsync(new Uri("api/v1/roles", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Serve_configures_scoped_tokens_and_the_rate_limit_from_a_config_file()
    {
        await File.WriteAllTextAsync(Path.Combine(_directory, "scim.token"), "scim-read-only-token-0123456789\n");
        await File.WriteAllTextAsync(Path.Combine(_directory, "ci.token"), "ci-read-write-token-0123456789\n");
        await File.WriteAllTextAsync(Path.Combine(_directory, "platform.json"), """
            {
              // token files are relative to this file
              "tokens": [
                { "name": "scim", "scopes": ["admin:read"], "tokenFile": "scim.token" },
                { "name": "ci", "scopes": ["admin:read", "admin:write"], "tokenFile": "ci.token" }
              ],
              "rateLimit": { "permitsPerSecond": 1000, "burst": 1000 }
            }
            """);
        await using var server = await ServerProcess.StartAsync(
            ["--database", Path.Combine(_directory, "platform.db"), "--config", Path.Combine(_directory, "platform.json"), "--rate-limit", "2", "--rate-limit-burst", "3"], token: null);

        server.WaitForLine(l => l.StartsWith("Press Ctrl+C", StringComparison.Ordinal));
        server.Output.Should().Contain("Token: scim [admin:read]").And.Contain("Rate limit: 2 requests/s per token, burst 3").And.NotContain("scim-read-only-token");
        (await server.GetRolesAsync("scim-read-only-token-0123456789")).Should().Contain("admin");
        using var scim = Client(server, "scim-read-only-token-0123456789");
        using var write = await scim.PostAsync(new Uri("api/v1/tags", UriKind.Relative), new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        write.StatusCode.Should().Be(HttpStatusCode.Forbidden, "scim has admin:read only");

        // The command line's 2/s (burst 3) overrides the file's 1000/s: the fourth request at once is turned away.
        using var ci = Client(server, "ci-read-write-token-0123456789");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await ci.GetAsync(new Uri("api/v1/roles", UriKind.Relative));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
                response.Headers.RetryAfter.Should().NotBeNull();
        }

        statuses.Should().Contain(HttpStatusCode.TooManyRequests);
        statuses.Take(3).Should().OnlyContain(s => s == HttpStatusCode.OK);
    }

    [Fact]
    public async Task Serve_takes_a_scoped_token_on_the_command_line_and_refuses_a_token_without_a_source()
    {
        await File.WriteAllTextAsync(Path.Combine(_directory, "reader.token"), "reader-token-0123456789abcdef\n");
        await using var server = await ServerProcess.StartAsync(
            ["--database", Path.Combine(_directory, "platform.db"), "--token", $"name=reader,scopes=admin:read,file={Path.Combine(_directory, "reader.token")}"], token: null);
        server.WaitForLine(l => l.StartsWith("Press Ctrl+C", StringComparison.Ordinal));
        (await server.GetRolesAsync("reader-token-0123456789abcdef")).Should().Contain("admin");

        var refused = await CliProcess.RunAsync(_directory, TimeSpan.FromSeconds(60), "platform", "serve", "--urls", "http://127.0.0.1:0", "--token", "name=x,scopes=admin:read");
        refused.ExitCode.Should().Be(1, "a usage problem exits 1, as with every command");
        refused.Output.Trim().Should().StartWith("error: token 'x' needs file=").And.NotContain(" at ");
    }

    [Theory]
    [InlineData("RECONCILER_PLATFORM_TOKEN", "Token of 'admin' (from the environment variable RECONCILER_PLATFORM_TOKEN) must be at least 16 characters.")]
    [InlineData("--token-file", "Token of 'admin' (from the file short.token) must be at least 16 characters.")]
    [InlineData("--token env=", "Token of 'scim' (from the environment variable SCIM_TOKEN) must be at least 16 characters.")]
    [InlineData("--token file=", "Token of 'scim' (from the file {dir}/short.token) must be at least 16 characters.")]
    public async Task Serve_refuses_a_short_token_naming_where_it_came_from_and_never_the_token(string given, string expected)
    {
        const string secret = "short-SECRET";
        await File.WriteAllTextAsync(Path.Combine(_directory, "short.token"), secret + "\n");
        var (variables, arguments) = given switch
        {
            "RECONCILER_PLATFORM_TOKEN" => (new[] { $"RECONCILER_PLATFORM_TOKEN={secret}" }, Array.Empty<string>()),
            "--token-file" => ([], ["--token-file", "short.token"]),
            "--token env=" => ([$"SCIM_TOKEN={secret}"], ["--token", "name=scim,scopes=admin:read,env=SCIM_TOKEN"]),
            _ => ([], ["--token", $"name=scim,scopes=admin:read,file={Path.Combine(_directory, "short.token")}"]),
        };
        var cli = CliLaunch.UnderTest;
        using var serve = CliProcess.Start(_directory, new CliLaunch("env", [.. variables, cli.FileName, .. cli.Prefix]), ["platform", "serve", "--urls", "http://127.0.0.1:0", "--database", Path.Combine(_directory, "platform.db"), .. arguments]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await serve.Process.WaitForExitAsync(timeout.Token);
        serve.Process.WaitForExit();

        serve.Process.ExitCode.Should().Be(1, serve.Output);
        serve.Output.Trim().Should().Be("error: " + expected.Replace("{dir}", _directory, StringComparison.Ordinal));
        serve.Output.Should().NotContain(secret);
    }

    [Theory]
    [InlineData("--token-file", "/dev/zero", "error: cannot read the token file /dev/zero: it holds more than 64 KiB, more than any token")]
    [InlineData("--token", "name=x,scopes=admin:read,file=/dev/zero", "error: token 'x': cannot read /dev/zero: it holds more than 64 KiB, more than any token")]
    [InlineData("--config", "/dev/zero", "error: /dev/zero holds more than 1 MiB, more than any config file; is it the right file?")]
    public async Task Serve_reads_a_token_or_config_file_only_up_to_its_limit_and_says_so_in_one_line(string option, string value, string expected)
    {
        var (exitCode, output) = await ServeAsync(option, value);

        exitCode.Should().Be(1, output);
        output.Trim().Should().Be(expected);
    }

    [Fact]
    public async Task Serve_on_a_database_path_that_is_a_folder_says_so_in_one_line()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_directory, "isdir.db")).FullName;

        var (exitCode, output) = await ServeAsync("--database", folder);

        exitCode.Should().Be(1, output);
        output.Trim().Should().Be($"error: {folder}: cannot open the platform's database: it is a folder, not a file");
        Directory.GetFileSystemEntries(folder).Should().BeEmpty("nothing is created in it");
    }

    [Fact]
    public async Task Serve_on_a_database_in_a_folder_that_does_not_exist_refuses_and_does_not_create_the_folder()
    {
        var missing = Path.Combine(_directory, "missing");
        var database = Path.Combine(missing, "x.db");

        var (exitCode, output) = await ServeAsync("--database", database);

        exitCode.Should().Be(1, output);
        output.Trim().Should().StartWith($"error: {database}: cannot open the platform's database: the folder {missing} does not exist").And.NotContain("\n");
        output.Should().NotContain("Exception").And.NotContain("   at ");
        Directory.Exists(missing).Should().BeFalse("SQLite's own rule: the file is created, not its folder");
    }

    [Fact]
    public async Task Serve_on_a_PostgreSQL_server_that_cannot_be_reached_says_so_in_one_line_without_the_password()
    {
        // Port 9 (discard) on loopback: nothing listens there, so the connection is refused at once.
        var (exitCode, output) = await ServeAsync("--database", "Host=127.0.0.1;Port=9;Username=x;Password=never-printed-0123;Database=z");

        exitCode.Should().Be(1, output);
        output.Trim().Should().StartWith("error: postgres://x@127.0.0.1:9/z: cannot open the platform's database: Failed to connect to 127.0.0.1:9")
            .And.NotContain("\n").And.NotContain("never-printed-0123").And.NotContain("Exception");
    }

    [Fact]
    public async Task Serve_on_a_port_in_use_says_so_in_one_line_without_a_stack_trace_on_either_stream_and_creates_no_database()
    {
        const string secret = "port-token-0123456789abcdef";
        var tokenPath = Path.Combine(_directory, "token");
        await File.WriteAllTextAsync(tokenPath, secret + "\n");
        await using var first = await ServerProcess.StartAsync(["--database", Path.Combine(_directory, "one.db"), "--token-file", tokenPath], token: null);

        using var second = CliProcess.Start(_directory, "platform", "serve", "--urls", first.BaseUrl.ToString().TrimEnd('/'), "--database", Path.Combine(_directory, "two.db"), "--token-file", tokenPath);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await second.Process.WaitForExitAsync(timeout.Token);
        second.Process.WaitForExit(); // flushes the redirected output

        second.Process.ExitCode.Should().Be(1, second.Output);
        second.StandardOutput.Should().BeEmpty("the host's own 'Hosting failed to start' line and its stack trace are not logged");
        second.Output.Trim().Should().Be($"error: Failed to bind to address {first.BaseUrl.ToString().TrimEnd('/')}: address already in use.");
        File.Exists(Path.Combine(_directory, "two.db")).Should().BeFalse("a server that cannot listen creates no database");
    }

    private async Task<(int ExitCode, string Output)> ServeAsync(params string[] arguments) =>
        await CliProcess.RunAsync(_directory, TimeSpan.FromSeconds(60), ["platform", "serve", "--urls", "http://127.0.0.1:0", .. arguments]);

    /// <summary>
    /// A request without the fields that have defaults gets the documented defaults: the generated JSON reader, all the native
    /// build has, once read them as null and answered 500.
    /// </summary>
    [Fact]
    public async Task An_agent_created_without_its_defaulted_fields_gets_their_defaults()
    {
        const string secret = "defaults-token-0123456789abcdef";
        await File.WriteAllTextAsync(Path.Combine(_directory, "token"), secret + "\n");
        await using var server = await ServerProcess.StartAsync(
            ["--database", Path.Combine(_directory, "platform.db"), "--token-file", Path.Combine(_directory, "token")], token: null);
        using var client = Client(server, secret);
        using var roles = JsonDocument.Parse(await client.GetStringAsync(new Uri("api/v1/roles?limit=1000", UriKind.Relative)));
        var roleId = roles.RootElement.GetProperty("items").EnumerateArray().First(r => r.GetProperty("name").GetString() == "agent").GetProperty("id").GetString();

        using var created = await client.PostAsync(new Uri("api/v1/agents", UriKind.Relative), new StringContent(
            $$"""{"email":"ann@example.com","displayName":"Ann","roleId":"{{roleId}}"}""", Encoding.UTF8, "application/json"));

        var body = await created.Content.ReadAsStringAsync();
        created.StatusCode.Should().Be(HttpStatusCode.Created, body);
        var agent = JsonNode.Parse(body)!;
        ((string?)agent["level"], (int?)agent["maxConcurrentChats"], (bool?)agent["active"], agent["languages"]?.AsArray().Count)
            .Should().Be(("L1", 3, true, 0), body);
    }

    private static HttpClient Client(ServerProcess server, string token)
    {
        var client = new HttpClient { BaseAddress = server.BaseUrl };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still be closing its file on a slow machine; a stale temp directory is harmless.
        }
    }
}
