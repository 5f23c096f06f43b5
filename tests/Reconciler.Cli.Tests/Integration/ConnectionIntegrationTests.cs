using Reconciler.Cli.Tests.Commands;

namespace Reconciler.Cli.Tests.Integration;

public sealed class ConnectionIntegrationTests
{
    [Fact]
    public async Task WithoutAPlatformUrl_TheEmbeddedPlatformIsUsedAndSaysSo()
    {
        await using var cli = await CliHarness.StartAsync();

        var apply = await cli.RunAsync("apply -f acme-support --auto-approve");
        var plan = await cli.RunAsync("plan -f acme-support --detailed-exitcode");

        apply.ExitCode.Should().Be(0, apply.ToString());
        apply.Error.Should().Contain("Using the embedded reference platform").And.Contain(Path.Combine(".reconciler", "platform.db"));
        File.Exists(Path.Combine(cli.Directory, ".reconciler", "platform.db")).Should().BeTrue();
        plan.ExitCode.Should().Be(0, "the embedded platform keeps its data between runs: " + plan);
        (await cli.ListAsync("agents")).Should().BeEmpty("the test's own platform was not touched");
    }

    [Fact]
    public async Task ATokenFlag_WorksWithAWarning_AndVerboseLogsCarryNoSecrets()
    {
        await using var cli = await CliHarness.StartAsync();
        cli.Variables.Remove("RECONCILER_PLATFORM_TOKEN");

        var missing = await cli.RunAsync("plan -f acme-support --platform-url {url}");
        var flagged = await cli.RunAsync($"apply -f acme-support --auto-approve --verbose --platform-url {{url}} --token {CliHarness.ReconcilerToken}");

        missing.ExitCode.Should().Be(1);
        missing.Error.Should().Contain("RECONCILER_PLATFORM_TOKEN");
        flagged.ExitCode.Should().Be(0, flagged.ToString());
        flagged.Error.Should().Contain("warning: --token leaves the token in your shell history");
        flagged.Logs.Should().Contain(l => l.Contains("POST agents", StringComparison.Ordinal));
        flagged.Logs.Should().NotContain(l => l.Contains(CliHarness.ReconcilerToken, StringComparison.Ordinal) || l.Contains("CANARY", StringComparison.Ordinal));
        flagged.Output.Should().NotContain(CliHarness.ReconcilerToken);
    }

    /// <summary>The example's PlatformConnection has <c>tokenSecretRef: {name: reconciler-platform-token, key: token}</c>.</summary>
    private const string TokenRefVariable = "RECONCILER_SECRET_RECONCILER_PLATFORM_TOKEN_TOKEN";

    /// <summary>The token the tokenSecretRef names, as its variable or as its file under the folder --secrets-dir names.</summary>
    private static async Task GiveTokenRefAsync(CliHarness cli, string source)
    {
        if (source == "variable")
        {
            cli.Variables[TokenRefVariable] = CliHarness.ReconcilerToken;
            return;
        }

        var folder = Directory.CreateDirectory(Path.Combine(cli.Directory, "secrets", "reconciler-platform-token"));
        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "token"), CliHarness.ReconcilerToken + "\n");
    }

    [Theory]
    [InlineData("variable", "")]
    [InlineData("file", "--secrets-dir secrets")]
    public async Task WithNoTokenFlagOrVariable_ThePlatformConnectionsTokenSecretRefGivesTheToken_AndIsNeverShown(string source, string flags)
    {
        await using var cli = await CliHarness.StartAsync();
        cli.Variables.Remove("RECONCILER_PLATFORM_TOKEN");
        await GiveTokenRefAsync(cli, source);

        var apply = await cli.RunAsync($"apply -f acme-support --auto-approve --verbose --platform-url {{url}} {flags}");

        apply.ExitCode.Should().Be(0, apply.ToString());
        (await cli.ListAsync("agents")).Should().NotBeEmpty("the referenced token was accepted by the platform named with --platform-url");
        apply.Logs.Should().Contain(l => l.Contains("POST agents", StringComparison.Ordinal));
        cli.Transcript.Should().NotContain(t => t.Contains(CliHarness.ReconcilerToken, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("export --output-dir exported -f acme-support", "variable")]
    [InlineData("export --output-dir exported -f acme-support/platform-connection.yaml --secrets-dir secrets", "file")]
    [InlineData("report agents -o json -f acme-support", "variable")]
    public async Task ExportAndReport_TakeTheTokenFromThePlatformConnectionTheyAreGiven_AsPlanAndApplyDo(string command, string source)
    {
        await using var cli = await CliHarness.StartAsync();
        (await cli.RunAsync("apply -f acme-support --auto-approve --platform-url {url}")).ExitCode.Should().Be(0);
        cli.Variables.Remove("RECONCILER_PLATFORM_TOKEN");
        await GiveTokenRefAsync(cli, source);

        var run = await cli.RunAsync($"{command} --platform-url {{url}}");

        run.ExitCode.Should().Be(0, "the pipeline's token for plan and apply reads the platform for export and reports too: " + run);
        var exported = Path.Combine(cli.Directory, "exported", "agents.yaml");
        (File.Exists(exported) ? await File.ReadAllTextAsync(exported) : run.Output).Should().Contain("maria.santos@acme.example");
        cli.Transcript.Should().NotContain(t => t.Contains(CliHarness.ReconcilerToken, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("")]
    [InlineData("--token-file token.txt")]
    public async Task ATokenFromTheEnvironmentOrAFlag_TakesPriorityOverTheTokenSecretRef(string flags)
    {
        await using var cli = await CliHarness.StartAsync();
        await File.WriteAllTextAsync(Path.Combine(cli.Directory, "token.txt"), CliHarness.ReconcilerToken);
        cli.Variables[TokenRefVariable] = "tok-wrong-0123456789";

        var plan = await cli.RunAsync($"plan -f acme-support --platform-url {{url}} {flags}");

        plan.ExitCode.Should().Be(0, "the token the command line or RECONCILER_PLATFORM_TOKEN gives is used, not the manifests' (a wrong one): " + plan);
    }

    [Theory]
    [InlineData("", $"set {TokenRefVariable} or pass --secrets-dir with reconciler-platform-token/token")]
    [InlineData("--secrets-dir secrets", "secrets/reconciler-platform-token/token)")]
    public async Task NoTokenAnywhere_IsOneErrorNamingTheFlagsAndWhereTheTokenSecretRefWasLookedFor(string flags, string looked)
    {
        await using var cli = await CliHarness.StartAsync();
        cli.Variables.Remove("RECONCILER_PLATFORM_TOKEN");
        Directory.CreateDirectory(Path.Combine(cli.Directory, "secrets"));
        using var requests = new PlatformRequests(cli.Platform);

        var plan = await cli.RunAsync($"plan -f acme-support --platform-url {{url}} {flags}");

        plan.ExitCode.Should().Be(1, plan.ToString());
        plan.Error.Trim().Should().StartWith("error: no platform token: set RECONCILER_PLATFORM_TOKEN or pass --token-file, or give the PlatformConnection's tokenSecretRef a value (secret reconciler-platform-token/token")
            .And.Contain(looked).And.NotContain("\n");
        requests.Started.Should().Be(0);
    }

    [Theory]
    [InlineData("--token tok-0123456789", "--token names a token, but no --platform-url")]
    [InlineData("--token-file token.txt", "--token-file names a token, but no --platform-url")]
    [InlineData("--token-file missing.txt", "--token-file names a token, but no --platform-url")]
    [InlineData("--platform-url {url} --token tok-0123456789 --token-file token.txt", "--token and --token-file both name a token")]
    public async Task ATokenForNoNamedPlatform_IsRefused_NotSpentOnTheEmbeddedOne(string flags, string said)
    {
        await using var cli = await CliHarness.StartAsync();
        await File.WriteAllTextAsync(Path.Combine(cli.Directory, "token.txt"), "tok-0123456789");

        var plan = await cli.RunAsync($"plan -f acme-support --detailed-exitcode {flags}");

        plan.ExitCode.Should().Be(1, plan.ToString());
        plan.Error.Should().Contain(said);
        Directory.Exists(Path.Combine(cli.Directory, ".reconciler")).Should().BeFalse("no platform was started for a run that is refused");
    }

    [Fact]
    public async Task ATokenVariableWithoutAPlatformUrl_IsNamedInAWarning()
    {
        await using var cli = await CliHarness.StartAsync();
        cli.Variables["RECONCILER_PLATFORM_TOKEN"] = "tok-0123456789";

        var plan = await cli.RunAsync("plan -f acme-support");

        plan.ExitCode.Should().Be(0, plan.ToString());
        plan.Error.Should().Contain("warning: RECONCILER_PLATFORM_TOKEN is set, but no --platform-url is given: using the embedded reference platform");
    }

    [Fact]
    public async Task AnEmptyTokenFile_IsSaidToBeEmpty_AndNothingIsSent()
    {
        await using var cli = await CliHarness.StartAsync();
        await File.WriteAllTextAsync(Path.Combine(cli.Directory, "token.txt"), "\n");

        var plan = await cli.RunAsync("plan -f acme-support --platform-url {url} --token-file token.txt");

        plan.ExitCode.Should().Be(1);
        plan.Error.Should().Contain("token.txt) is empty; nothing was sent").And.NotContain("   at ");
    }

    [Theory]
    [InlineData("/dev/zero")]
    [InlineData("big-token.txt")]
    public async Task ATokenFileLargerThanAnyToken_IsRefusedInOneLine_AndNothingIsSent(string file)
    {
        await using var cli = await CliHarness.StartAsync();
        await File.WriteAllTextAsync(Path.Combine(cli.Directory, "big-token.txt"), new string('t', (64 * 1024) + 1));
        using var requests = new PlatformRequests(cli.Platform);

        var plan = await cli.RunAsync($"plan -f acme-support --platform-url {{url}} --token-file {file}");

        plan.ExitCode.Should().Be(1, plan.ToString());
        plan.Error.Trim().Should().Be($"error: cannot read the token file {file}: it holds more than 64 KiB, more than any token");
        requests.Started.Should().Be(0);
    }

    [Fact]
    public async Task ATokenFileThatIsAPipe_GivesItsTokenOnce_ForEveryRequest()
    {
        // --token-file <(vault read …): the pipe can be read once, and a plan sends many requests.
        await using var cli = await CliHarness.StartAsync();
        cli.Variables.Remove("RECONCILER_PLATFORM_TOKEN");
        using var pipe = HeldFile.Replace(Path.Combine(cli.Directory, "token.pipe"));

        var run = Task.Run(() => cli.RunAsync("plan -f acme-support --platform-url {url} --token-file token.pipe"));
        await pipe.ReleaseAsync(CliHarness.ReconcilerToken + "\n");
        var plan = await run.WaitAsync(TimeSpan.FromSeconds(60));

        plan.ExitCode.Should().Be(0, plan.ToString());
        plan.Output.Should().Contain("Plan: ");
    }

    [Theory]
    [InlineData("http://bot:s3cret-CANARY@127.0.0.1:9", "(http://…@127.0.0.1:9)")]
    [InlineData("ftp://bot:s3cret-CANARY@127.0.0.1:9", "(ftp://…@127.0.0.1:9)")]
    public async Task APlatformUrlWithAPassword_IsRefusedWithoutRepeatingIt(string url, string shown)
    {
        await using var cli = await CliHarness.StartAsync();

        var plan = await cli.RunAsync($"plan -f acme-support --platform-url {url}");

        plan.ExitCode.Should().Be(1);
        plan.Error.Should().Contain("--platform-url carries a user name or password " + shown);
        cli.AssertNoCanary();
    }

    /// <summary>
    /// A password in --platform-url is refused, and no message said before the refusal (that the manifests name another
    /// platform, that a saved plan was for another, that the URL is not one) may repeat it.
    /// </summary>
    [Theory]
    [InlineData("plan -f acme-support --platform-url http://bot:s3cret-CANARY@127.0.0.1:9", "url: https://admin.acme.example")]
    [InlineData("export --output-dir exported -f acme-support --platform-url http://bot:s3cret-CANARY@127.0.0.1:9", "url: https://admin.acme.example")]
    [InlineData("apply org.plan --platform-url http://bot:s3cret-CANARY@127.0.0.1:9", "")]
    [InlineData("plan -f acme-support --platform-url http://bot:s3cret-CANARY@127.0.0.1:port", "")]
    public async Task APlatformUrlWithAPassword_IsRefused_AndNoMessageBeforeRepeatsIt(string command, string connectionUrl)
    {
        await using var cli = await CliHarness.StartAsync();
        var connection = Path.Combine(cli.Manifests, "platform-connection.yaml");
        await File.WriteAllTextAsync(connection, (await File.ReadAllTextAsync(connection)).Replace("  driftPolicy:", $"  {connectionUrl}\n  driftPolicy:", StringComparison.Ordinal));
        if (command.StartsWith("apply org.plan", StringComparison.Ordinal))
            (await cli.RunAsync("plan -f acme-support -out org.plan")).ExitCode.Should().Be(0);

        var run = await cli.RunAsync(command);

        run.ExitCode.Should().Be(1, run.ToString());
        run.Error.Should().Contain("--platform-url");
        cli.AssertNoCanary();
    }

    [Fact]
    public async Task AWrongToken_IsAClearErrorWithoutAStackTrace()
    {
        await using var cli = await CliHarness.StartAsync();
        cli.Variables["RECONCILER_PLATFORM_TOKEN"] = "tok-wrong-0123456789";

        var plan = await cli.RunAsync("plan -f acme-support --platform-url {url}");

        plan.ExitCode.Should().Be(1);
        plan.Error.Should().Contain("cannot observe the platform").And.Contain("401").And.NotContain("   at ");
    }
}
