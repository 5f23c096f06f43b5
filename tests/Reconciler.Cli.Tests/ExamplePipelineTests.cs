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
            var args = command.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(a => a.Trim('"')).ToArray();
            var parse = Program.CreateRoot(environment).Parse(args);
            parse.Errors.Select(e => e.Message).Should().BeEmpty($"'reconciler {command}' in {pipeline} must parse");
        }
    }

    /// <summary><c>reconciler ARGS</c> up to a redirect, pipe, or the end of the line; not the tool install lines.</summary>
    [GeneratedRegex(@"(?<![\w-])reconciler (?<args>(?:validate|plan|apply)[^>|\n]*?)\s*(?:[>|]|$)", RegexOptions.Multiline)]
    private static partial Regex CommandLine();
}
