using System.Text.RegularExpressions;
using Reconciler.Cli.Plumbing;
using YamlDotNet.RepresentationModel;

namespace Reconciler.Cli.Tests;

/// <summary>The example CI pipelines under examples/ci are YAML, and every reconciler command they run parses with the real command tree.</summary>
public sealed partial class ExamplePipelineTests
{
    public static TheoryData<string> Pipelines => new() { "github-actions/reconciler.yml", "gitlab/.gitlab-ci.yml" };

    [Theory]
    [MemberData(nameof(Pipelines))]
    public void Every_reconciler_command_in_the_pipeline_parses(string pipeline)
    {
        var text = File.ReadAllText(Path.Combine(TestRepository.Root, "examples", "ci", pipeline));
        new YamlStream().Invoking(y => y.Load(new StringReader(text))).Should().NotThrow();

        var commands = CommandLine().Matches(text).Select(m => m.Groups["args"].Value).ToList();

        commands.Should().Contain(c => c.StartsWith("validate", StringComparison.Ordinal))
            .And.Contain(c => c.StartsWith("plan", StringComparison.Ordinal) && c.Contains("-o markdown", StringComparison.Ordinal))
            .And.Contain(c => c.StartsWith("plan", StringComparison.Ordinal) && c.Contains("-out", StringComparison.Ordinal))
            .And.Contain(c => c.StartsWith("apply org.plan", StringComparison.Ordinal));
        var environment = new CliEnvironment(_ => null, Path.GetTempPath(), IsInteractive: false, _ => { });
        foreach (var command in commands)
        {
            // As the job's shell runs it: its variables expanded (the URL is checked as the command line is parsed).
            var args = command.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(a => a.Trim('"').Replace("$RECONCILER_PLATFORM_URL", "https://admin.example.com", StringComparison.Ordinal)).ToArray();
            args.Should().NotContain(a => a.Contains('$'), $"every variable of 'reconciler {command}' in {pipeline} is given a value here");
            var parse = Program.CreateRoot(environment).Parse(args);
            parse.Errors.Select(e => e.Message).Should().BeEmpty($"'reconciler {command}' in {pipeline} must parse");
        }
    }

    [Theory]
    [MemberData(nameof(Pipelines))]
    public void A_saved_plan_is_applied_against_the_platform_it_was_planned_for(string pipeline)
    {
        var text = File.ReadAllText(Path.Combine(TestRepository.Root, "examples", "ci", pipeline));
        var commands = CommandLine().Matches(text).Select(m => m.Groups["args"].Value).ToList();

        // apply takes the URL from its own command line, never from the saved plan: without it, it targets the embedded platform and refuses.
        var saved = commands.Single(c => c.StartsWith("plan", StringComparison.Ordinal) && c.Contains("-out", StringComparison.Ordinal));
        var url = Regex.Match(saved, @"--platform-url (?<url>\S+)").Groups["url"].Value;
        url.Should().NotBeEmpty();
        commands.Where(c => c.StartsWith("apply org.plan", StringComparison.Ordinal)).Should().NotBeEmpty()
            .And.OnlyContain(c => c.Contains($"--platform-url {url}", StringComparison.Ordinal), $"{pipeline} must apply the saved plan at the URL it was planned against");
    }

    /// <summary><c>reconciler ARGS</c> up to a redirect, pipe, or the end of the line; not the tool install lines.</summary>
    [GeneratedRegex(@"(?<![\w-])reconciler (?<args>(?:validate|plan|apply)[^>|\n]*?)\s*(?:[>|]|$)", RegexOptions.Multiline)]
    private static partial Regex CommandLine();
}
