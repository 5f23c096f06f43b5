using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace Reconciler.Cli.Tests;

/// <summary>
/// A Native AOT build has no reflection-based JSON serializer, and its trimming makes a reflection read or write fail or,
/// worse, print <c>{}</c>. The CLI's commands (all but <c>operator</c>; <c>platform serve</c> up to reading its config)
/// must not need it: run with the serializer switched off (<c>System.Text.Json.JsonSerializer.IsReflectionEnabledByDefault</c>
/// false in a copy of the CLI's runtimeconfig, so a call that needs it throws), the CLI prints and writes exactly what it
/// does with it. Given the native build (<see cref="CliLaunch.Native"/>, CI's second pass), that build is the one
/// compared with the JIT build.
/// </summary>
public sealed partial class ReflectionFreeJsonProcessTests : IDisposable
{
    private const string Token = "reflection-free-test-token-0123456789";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private readonly string _directory = Directory.CreateTempSubdirectory("reconciler-reflection-free-").FullName;
    private readonly string _example = Path.Combine(TestRepository.Root, "examples", "acme-support");
    private CliLaunch? _withoutReflection;

    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    [InlineData("sarif")]
    [InlineData("junit")]
    public async Task Validate_prints_the_same_without_the_reflection_serializer(string format)
    {
        var broken = Path.Combine(_directory, "broken");
        TestRepository.CopyExample(broken);
        var agents = Path.Combine(broken, "agents", "sales.yaml");
        await File.WriteAllTextAsync(agents, (await File.ReadAllTextAsync(agents)).Replace("displayName: Camille Laurent", "displayName: [not, text]", StringComparison.Ordinal));

        foreach (var folder in (string[])[_example, broken])
            await ShouldPrintTheSameAsync("validate", "-f", folder, "-o", format);
    }

    /// <summary>Without <c>--platform-url</c> the plan runs against the embedded reference platform, in the same process.</summary>
    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    public async Task A_plan_against_the_embedded_platform_prints_the_same_without_the_reflection_serializer(string format) =>
        await ShouldPrintTheSameAsync("plan", "-f", _example, "--secrets-dir", Path.Combine(_example, "secrets"), "-o", format);

    [Fact]
    public async Task Apply_export_and_plan_against_a_platform_print_the_same_without_the_reflection_serializer()
    {
        var tokenFile = Path.Combine(_directory, "token");
        await File.WriteAllTextAsync(tokenFile, Token + "\n");
        await using var server = await ServerProcess.StartAsync(["--database", Path.Combine(_directory, "platform.db"), "--token-file", tokenFile], token: null);
        string[] connect = ["--secrets-dir", Path.Combine(_example, "secrets"), "--platform-url", server.BaseUrl.ToString(), "--token-file", tokenFile, "--requests-per-second", "0"];

        var applied = await RunAsync(WithoutReflection(), ["apply", "-f", _example, "--auto-approve", .. connect]);
        applied.ExitCode.Should().Be(0, applied.Output);
        var again = await RunAsync(CliLaunch.Jit(), ["plan", "-f", _example, "--detailed-exitcode", .. connect]);
        again.ExitCode.Should().Be(0, "the apply without the reflection serializer made the platform match: " + again.Output);

        // Export writes every kind's manifests from the platform's objects.
        string[] export = ["export", "--platform-url", server.BaseUrl.ToString(), "--token-file", tokenFile, "--requests-per-second", "0", "--output-dir"];
        (await RunAsync(CliLaunch.Jit(), [.. export, "exported"])).ExitCode.Should().Be(0);
        (await RunAsync(WithoutReflection(), [.. export, "exported-without-reflection"])).ExitCode.Should().Be(0);
        var exported = Directory.GetFiles(Path.Combine(_directory, "exported")).Order(StringComparer.Ordinal).ToList();
        exported.Should().NotBeEmpty();
        foreach (var file in exported)
            (await File.ReadAllTextAsync(Path.Combine(_directory, "exported-without-reflection", Path.GetFileName(file)))).Should().Be(await File.ReadAllTextAsync(file), Path.GetFileName(file));

        // An edited manifest: the plan updates an agent and names who last changed its fields (the audit trail is read).
        var edited = Path.Combine(_directory, "edited");
        TestRepository.CopyExample(edited);
        var agents = Path.Combine(edited, "agents", "sales.yaml");
        await File.WriteAllTextAsync(agents, (await File.ReadAllTextAsync(agents)).Replace("displayName: Camille Laurent", "displayName: Camille Laurent-Petit", StringComparison.Ordinal));
        foreach (var format in (string[])["text", "json", "markdown"])
            await ShouldPrintTheSameAsync(["plan", "-f", edited, "--detailed-exitcode", "-o", format, .. connect]);

        // Reports and the upload template read the platform's agents, roles and business units.
        string[] read = ["--platform-url", server.BaseUrl.ToString(), "--token-file", tokenFile, "--requests-per-second", "0"];
        foreach (var users in (string[])["agents", "supervisors", "invitations"])
            await ShouldPrintTheSameAsync(["report", users, "-o", "json", .. read]);
        await ShouldWriteTheSameAsync(_ => { }, ["template", "agents.xlsx", .. read]);
    }

    [Fact]
    public async Task Schemas_CRDs_the_template_and_an_import_write_the_same_without_the_reflection_serializer()
    {
        // The native build leaves these two out (NativeBuildTests); the JIT build runs them without the serializer too.
        if (CliLaunch.Native is null)
        {
            await ShouldWriteTheSameAsync(_ => { }, "schema", "--output-dir", "schemas");
            await ShouldWriteTheSameAsync(_ => { }, "crds", "--output-dir", "crds");
        }

        await ShouldWriteTheSameAsync(_ => { }, "template", "agents.xlsx", "-f", _example);

        // Two agents of the folder edited, two added (grouped by business unit, or into their supervisor's file).
        foreach (var grouping in (string[])["business-unit", "supervisor"])
        {
            await ShouldWriteTheSameAsync(
                folder =>
                {
                    TestRepository.CopyExample(Path.Combine(folder, "org"));
                    File.WriteAllText(Path.Combine(folder, "agents.csv"), """
                        Email;Display name;Role;Business units;Level;Languages;Mobile;Supervisor;Categories
                        budi.santoso@acme.example;Budi Santoso;agent;support;L1;id, en, pt-BR;;;whatsapp, account
                        dewi.lestari@acme.example;Dewi Lestari;agent;support;L3;id, en;+6281212345631;sofia.ramirez@acme.example;escalations, whatsapp
                        new.one@acme.example;New One;agent;billing, support;;en, es;;dewi.lestari@acme.example;
                        new.two@acme.example;New Two;agent;billing;L2;;;new.one@acme.example;

                        """);
                },
                "import", "-f", "agents.csv", "--output-dir", "org", "--group-by", grouping);
        }
    }

    [Theory]
    [InlineData("""{"tokens": [{"name": "scim", "tokenFile": "scim.token"}], "idempotencyKeyLifetime": "soon"}""")]
    [InlineData("{\"tokens\": [{\"name\": \"scim\",\n \"scope\": []}]}")]
    public async Task Platform_serve_reads_its_config_file_the_same_without_the_reflection_serializer(string config)
    {
        // Both stop at a problem before serving: the config file read (token scopes left to their default), the problem named.
        await File.WriteAllTextAsync(Path.Combine(_directory, "platform.json"), config);
        await File.WriteAllTextAsync(Path.Combine(_directory, "scim.token"), Token + "\n");
        string[] serve = ["platform", "serve", "--database", "platform.db", "--config", "platform.json"];

        var with = await RunAsync(CliLaunch.Jit(), serve);
        var without = await RunAsync(WithoutReflection(), serve);

        with.ExitCode.Should().Be(1, with.Output);
        without.ExitCode.Should().Be(with.ExitCode, without.Output);
        without.Output.Should().Be(with.Output);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private async Task ShouldPrintTheSameAsync(params string[] arguments)
    {
        var with = await RunAsync(CliLaunch.Jit(), arguments);
        var without = await RunAsync(WithoutReflection(), arguments);

        without.ExitCode.Should().Be(with.ExitCode, without.Output);
        Comparable(without.StandardOutput).Should().Be(Comparable(with.StandardOutput));
        Comparable(with.StandardOutput).Should().NotBeNullOrWhiteSpace();
    }

    /// <summary>The native build when given; else the JIT build with the reflection serializer switched off.</summary>
    private CliLaunch WithoutReflection() =>
        _withoutReflection ??= CliLaunch.Native ?? CliLaunch.JitWith(_directory, new Dictionary<string, bool> { ["System.Text.Json.JsonSerializer.IsReflectionEnabledByDefault"] = false });

    /// <summary>
    /// Runs the command in two folders set up alike, with and without the reflection serializer: it prints the same and
    /// leaves the same files (a workbook's parts compared without the relationship ids it draws at random).
    /// </summary>
    private async Task ShouldWriteTheSameAsync(Action<string> setUp, params string[] arguments)
    {
        var with = Directory.CreateDirectory(Path.Combine(_directory, $"with-{Guid.NewGuid():N}")).FullName;
        var without = Directory.CreateDirectory(Path.Combine(_directory, $"without-{Guid.NewGuid():N}")).FullName;
        setUp(with);
        setUp(without);

        var written = await RunAsync(CliLaunch.Jit(), arguments, with);
        var writtenWithout = await RunAsync(WithoutReflection(), arguments, without);

        written.ExitCode.Should().Be(0, written.Output);
        writtenWithout.ExitCode.Should().Be(written.ExitCode, writtenWithout.Output);
        writtenWithout.StandardOutput.Should().Be(written.StandardOutput);
        Files(without).Should().Equal(Files(with));
    }

    private static List<string> Files(string folder) =>
    [
        .. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(file => Path.GetRelativePath(folder, file) + "\n" + (Path.GetExtension(file) == ".xlsx" ? WorkbookText(file) : File.ReadAllText(file))),
    ];

    private static string WorkbookText(string file)
    {
        using var zip = ZipFile.OpenRead(file);
        var text = new StringBuilder();
        foreach (var entry in zip.Entries.OrderBy(e => e.FullName, StringComparer.Ordinal))
        {
            using var reader = new StreamReader(entry.Open());
            text.Append(entry.FullName).Append('\n').Append(RelationshipId().Replace(reader.ReadToEnd(), "\"R…\"")).Append('\n');
        }

        return text.ToString();
    }

    private async Task<(int ExitCode, string StandardOutput, string Output)> RunAsync(CliLaunch launch, string[] arguments, string? workingDirectory = null)
    {
        using var cli = CliProcess.Start(workingDirectory ?? _directory, launch, arguments);
        using var cancel = new CancellationTokenSource(Timeout);
        await cli.Process.WaitForExitAsync(cancel.Token);
        cli.Process.WaitForExit(); // flushes the redirected output
        return (cli.Process.ExitCode, cli.StandardOutput, cli.Output);
    }

    /// <summary>The output without the plan's evaluation time, the one thing that differs between two runs.</summary>
    private static string Comparable(string output) => EvaluatedAt().Replace(output, "\"evaluated_at\": \"…\"");

    [GeneratedRegex("\"evaluated_at\": \"[^\"]*\"")]
    private static partial Regex EvaluatedAt();

    [GeneratedRegex("\"R[0-9a-f]{16}\"")]
    private static partial Regex RelationshipId();
}
