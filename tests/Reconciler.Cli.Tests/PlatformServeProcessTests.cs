using System.Net;

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
