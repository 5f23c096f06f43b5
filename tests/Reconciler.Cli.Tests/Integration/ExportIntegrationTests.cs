using System.Text.RegularExpressions;
using Reconciler.Cli.Tests.Plumbing;

namespace Reconciler.Cli.Tests.Integration;

/// <summary><c>export --output-dir D</c> writes its files all or none, and only inside D, whatever D already holds.</summary>
public sealed class ExportIntegrationTests
{
    private const string Apply = "apply -f acme-support --auto-approve --platform-url {url}";
    private const string Export = "export --output-dir exported --platform-url {url}";

    [Theory]
    [InlineData("a link out of the folder", "it leads to {directory}/victim.txt, outside {exported}")]
    [InlineData("a folder", "it is a folder, not a file")]
    [InlineData("a link to a pipe", "it is a named pipe, not a regular file")]
    public async Task A_file_that_cannot_be_replaced_inside_the_folder_is_named_and_nothing_is_written(string hazard, string reason)
    {
        await using var cli = await CliHarness.StartAsync();
        (await cli.RunAsync(Apply)).ExitCode.Should().Be(0);
        var exported = Path.Combine(cli.Directory, "exported");
        var victim = Path.Combine(cli.Directory, "victim.txt");
        Directory.CreateDirectory(exported);
        await File.WriteAllTextAsync(victim, "untouched");
        await File.WriteAllTextAsync(Path.Combine(exported, "roles.yaml"), "old roles");
        // Kinds are exported in dependency order: agents.yaml after five other files, roles.yaml among them.
        var agents = Path.Combine(exported, "agents.yaml");
        switch (hazard)
        {
            case "a link out of the folder":
                File.CreateSymbolicLink(agents, "../victim.txt");
                break;
            case "a folder":
                Directory.CreateDirectory(agents);
                break;
            case "a link to a pipe":
                FileNodes.Fifo(Path.Combine(exported, "pipe"));
                File.CreateSymbolicLink(agents, "pipe");
                break;
        }

        var before = Directory.GetFileSystemEntries(cli.Directory, "*", SearchOption.AllDirectories).Where(p => !p.Contains("platform.db", StringComparison.Ordinal)).ToList();

        var export = await cli.RunAsync(Export);

        export.ExitCode.Should().Be(1, export.ToString());
        export.Error.Should().Contain(
            $"cannot write {agents}: {reason.Replace("{directory}", cli.Directory, StringComparison.Ordinal).Replace("{exported}", exported, StringComparison.Ordinal)}; nothing was written\n");
        (await File.ReadAllTextAsync(victim)).Should().Be("untouched");
        (await File.ReadAllTextAsync(Path.Combine(exported, "roles.yaml"))).Should().Be("old roles");
        Directory.GetFileSystemEntries(cli.Directory, "*", SearchOption.AllDirectories).Where(p => !p.Contains("platform.db", StringComparison.Ordinal))
            .Should().BeEquivalentTo(before, "no other kind's file is written, and no temporary file is left");
    }

    [Fact]
    public async Task A_link_to_a_file_inside_the_folder_is_followed_and_stays_a_link()
    {
        await using var cli = await CliHarness.StartAsync();
        (await cli.RunAsync(Apply)).ExitCode.Should().Be(0);
        var exported = Path.Combine(cli.Directory, "exported");
        Directory.CreateDirectory(Path.Combine(exported, "people"));
        File.CreateSymbolicLink(Path.Combine(exported, "agents.yaml"), "people/agents.yaml");

        var export = await cli.RunAsync(Export);

        export.ExitCode.Should().Be(0, export.ToString());
        FileNodes.TypeOf(Path.Combine(exported, "agents.yaml")).Should().Be("symbolic link");
        (await File.ReadAllTextAsync(Path.Combine(exported, "people", "agents.yaml"))).Should().Contain("kind: Agent");
        (await File.ReadAllTextAsync(Path.Combine(exported, "roles.yaml"))).Should().Contain("kind: Role");
    }

    [Fact]
    public async Task An_output_dir_that_is_a_file_is_refused_and_left_as_it_was()
    {
        await using var cli = await CliHarness.StartAsync();
        await File.WriteAllTextAsync(Path.Combine(cli.Directory, "exported"), "a file");

        var export = await cli.RunAsync(Export);

        export.ExitCode.Should().Be(1, export.ToString());
        export.Error.Should().Contain($"cannot write to {Path.Combine(cli.Directory, "exported")}: it is a file, not a folder\n");
        (await File.ReadAllTextAsync(Path.Combine(cli.Directory, "exported"))).Should().Be("a file");
    }

    [Fact]
    public async Task The_note_names_every_secret_a_plan_of_the_export_needs()
    {
        await using var cli = await CliHarness.StartAsync();
        (await cli.RunAsync(Apply)).ExitCode.Should().Be(0);

        var export = await cli.RunAsync(Export);

        export.ExitCode.Should().Be(0, export.ToString());
        // The user follows the note: only the variables it names are set (the values are new, so the plan may push them).
        foreach (var variable in cli.Variables.Keys.Where(k => k.StartsWith("RECONCILER_SECRET_", StringComparison.Ordinal)).ToList())
            cli.Variables.Remove(variable);
        var named = Regex.Matches(export.Error, "RECONCILER_SECRET_[A-Z0-9_]+").Select(m => m.Value).ToList();
        foreach (var variable in named)
            cli.Variables[variable] = "value-of-" + variable;
        named.Should().Contain(["RECONCILER_SECRET_OKTA_CLIENTSECRET", "RECONCILER_SECRET_TELEGRAM_SUPPORT_TOKEN", "RECONCILER_SECRET_FIREBASE_PUSH_SERVICEACCOUNTKEY"],
            "the SSO client secrets, the Telegram bot's token and the organisation's Firebase key are all write-only: " + export.Error);

        var plan = await cli.RunAsync("plan -f exported --platform-url {url}");

        plan.ExitCode.Should().Be(0, plan.ToString());
        plan.Output.Should().NotContain("SecretNotFound");
    }
}
