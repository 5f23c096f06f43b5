using Reconciler.Cli.Commands;

namespace Reconciler.Cli.Tests;

/// <summary>A command line the parser refuses: nothing on standard output, the error and its hints on standard error, exit 1.</summary>
public sealed class UsageErrorTests
{
    private static readonly string Example = Path.Combine(TestRepository.Root, "examples", "acme-support");

    // {ex} is the example organisation. Each expected text is one whole line of standard error.
    [Theory]
    [InlineData("plan -f {ex} -o json --detailed-exit-code",
        "error: Unrecognized command or argument '--detailed-exit-code'. Did you mean '--detailed-exitcode'?",
        "See 'reconciler plan --help' for usage.")]
    [InlineData("apply -f {ex} --prnue", "Did you mean '--prune'?", "See 'reconciler apply --help' for usage.")]
    [InlineData("valdate -f {ex} -o json",
        "error: unknown command 'valdate' for 'reconciler'. Did you mean 'validate'?",
        "See 'reconciler --help' for usage.")]
    [InlineData("platform serv", "error: unknown command 'serv' for 'reconciler platform'. Did you mean 'serve'?", "See 'reconciler platform --help' for usage.")]
    [InlineData("validate {ex}", "error: Unrecognized command or argument '", "error: Option '--filename' is required.", "See 'reconciler validate --help' for usage.")]
    [InlineData("plan -f {ex} --max-deletes 0", "error: --max-deletes must be at least 1; to delete nothing, leave out --prune.")]
    [InlineData("platform serve --urls http://127.0.0.1:0 --data x.db", "error: Unrecognized command or argument '--data'.")]
    [InlineData("apply -f {ex} -o json --auto-approve --request-timeout 30", "error: --request-timeout: '30' is not a duration of at least 1ms and at most 24 days (30s, 2m; 0 for no limit)")]
    [InlineData("export --output-dir x --request-timeout 25d", "error: --request-timeout: '25d' is not a duration")]
    [InlineData("plan -f {ex} --request-timeout 600h", "error: --request-timeout: '600h' is not a duration of at least 1ms and at most 24 days")]
    [InlineData("plan -f {ex} --request-timeout 0.0000001s", "error: --request-timeout: '0.0000001s' is not a duration of at least 1ms and at most 24 days")]
    public async Task A_usage_error_writes_nothing_to_standard_output_and_the_error_with_its_hints_to_standard_error(string arguments, params string[] expected)
    {
        var (exitCode, output, error) = await InProcessCli.RunAsync(arguments.Replace("{ex}", Example, StringComparison.Ordinal).Split(' '));

        exitCode.Should().Be(1);
        output.Should().BeEmpty();
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var line in expected)
            lines.Should().Contain(l => l.Contains(line, StringComparison.Ordinal), "standard error was:\n{0}", error);
    }

    /// <summary>The value of a mistyped flag is not repeated: a mistyped --token's is the token.</summary>
    [Theory]
    [InlineData("plan --tokne CANARY-tok -f {ex}", "error: Unrecognized command or argument '--tokne'. Did you mean '--token'?")]
    [InlineData("plan --tokne=CANARY-tok -f {ex}", "error: Unrecognized command or argument '--tokne'. Did you mean '--token'?")]
    [InlineData("plan -f {ex} --tokne=CANARY-tok", "error: Unrecognized command or argument '--tokne' (after --filename; a file or folder whose name starts with a dash is written ./--tokne). Did you mean '--token'?")]
    [InlineData("plan --platfrom-url https://bot:CANARY-pw@admin.example -f {ex}", "error: Unrecognized command or argument '--platfrom-url'. Did you mean '--platform-url'?")]
    [InlineData("apply --tokne CANARY-tok -f {ex}", "error: ")]
    public async Task The_value_of_a_mistyped_flag_is_not_repeated(string arguments, string expected)
    {
        var (exitCode, output, error) = await InProcessCli.RunAsync(arguments.Replace("{ex}", Example, StringComparison.Ordinal).Split(' '));

        exitCode.Should().Be(1);
        output.Should().BeEmpty();
        error.Should().Contain(expected).And.NotContain("CANARY");
    }

    [Theory]
    [InlineData("plan|-f|{ex}|-o|json\u001b[2J", "error: --output: 'json\\u001B[2J' is not valid; use one of: text, json, markdown")]
    [InlineData("plan|-f|{ex}|--max-deletes|9\n  + Role/forged", "error: --max-deletes: '9\\u000A  + Role/forged' is not a whole number")]
    [InlineData("plan|-f|{ex}|--allow|x\u001b]0;PWNED\u0007", "error: --allow: 'x\\u001B]0;PWNED\\u0007' is not a guard")]
    [InlineData("pla\u001b[2J|-f|{ex}", "error: unknown command 'pla\\u001B[2J' for 'reconciler'.")]
    public async Task A_typed_value_is_quoted_without_its_control_characters(string arguments, string expected)
    {
        var (exitCode, output, error) = await InProcessCli.RunAsync(arguments.Replace("{ex}", Example, StringComparison.Ordinal).Split('|'));

        exitCode.Should().Be(1);
        output.Should().BeEmpty();
        error.Should().Contain(expected);
        error.Replace("\n", "", StringComparison.Ordinal).Any(char.IsControl).Should().BeFalse("standard error was:\n{0}", error);
    }

    [Theory]
    [InlineData("valdate -f {ex} -o json", "'-f'")]
    [InlineData("valdate -f {ex} -o json", "'json'")]
    [InlineData("valdate -f {ex} -o json", "Required command")]
    [InlineData("plan -f {ex} -x", "Did you mean")]
    [InlineData("validate {ex}", "Did you mean")]
    [InlineData("plan -f {ex} -o yaml", "--help")]
    [InlineData("platform serve --urls http://127.0.0.1:0 --data x.db", "is not a URL to listen on")]
    public async Task A_usage_error_says_nothing_that_is_no_help(string arguments, string unwanted)
    {
        var (exitCode, output, error) = await InProcessCli.RunAsync(arguments.Replace("{ex}", Example, StringComparison.Ordinal).Split(' '));

        exitCode.Should().Be(1);
        output.Should().BeEmpty();
        error.Should().NotContain(unwanted);
    }

    [Theory]
    [InlineData(new string[0], "validate")]
    [InlineData(new[] { "platform" }, "serve")]
    [InlineData(new[] { "--no-color" }, "validate")]
    public async Task A_command_that_needs_a_subcommand_and_gets_none_shows_its_usage_on_standard_error(string[] arguments, string subcommand)
    {
        var (exitCode, output, error) = await InProcessCli.RunAsync(arguments);

        exitCode.Should().Be(1);
        output.Should().BeEmpty();
        error.Should().Contain("Usage:").And.Contain(subcommand).And.NotContain("Required command was not provided");
    }

    [Theory]
    [InlineData("valdate", "validate")]
    [InlineData("--detailed-exit-code", "--detailed-exitcode")]
    [InlineData("--prnue", "--prune")]
    [InlineData("--PRUNE", "--prune")]
    [InlineData("-x", null)]
    [InlineData("json", null)]
    [InlineData("--prune", null)]
    public void A_suggestion_is_offered_only_for_a_word_a_typo_away(string typed, string? suggested)
    {
        var hint = UsageErrors.DidYouMean(typed, ["validate", "plan", "--detailed-exitcode", "--prune", "-o", "-f", "-h"]);

        if (suggested is null)
            hint.Should().BeEmpty();
        else
            hint.Should().Be($" Did you mean '{suggested}'?");
    }
}
