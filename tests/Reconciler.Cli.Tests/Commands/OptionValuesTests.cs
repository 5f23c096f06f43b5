using System.CommandLine;
using Reconciler.Cli.Plumbing;

namespace Reconciler.Cli.Tests.Commands;

public sealed class OptionValuesTests
{
    private static readonly string Example = Path.Combine(TestRepository.Root, "examples", "acme-support");

    // A flag after -f's values (a typo, or one the command does not have) is an unknown flag, as kubectl says, not a file.
    [Theory]
    [InlineData("validate", "--secrets-dir")]
    [InlineData("validate", "--bogus")]
    [InlineData("plan", "--auto-aprove")]
    [InlineData("apply", "--prnue")]
    [InlineData("plan", "-x")]
    [InlineData("template", "--bogus")]
    public async Task A_flag_after_the_files_is_an_unknown_flag_not_a_missing_file(string command, string flag)
    {
        string[] args = command == "template"
            ? [command, Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.xlsx"), "-f", Example, flag]
            : [command, "-f", Example, flag];

        var (exitCode, _, error) = await InProcessCli.RunAsync(args);

        exitCode.Should().Be(1);
        error.Should().Contain($"Unrecognized command or argument '{flag}'").And.Contain($"./{flag}")
            .And.NotContain("no such file");
    }

    [Fact]
    public async Task A_file_whose_name_starts_with_a_dash_is_read_when_written_with_its_folder()
    {
        var folder = Directory.CreateTempSubdirectory();
        try
        {
            File.Copy(Path.Combine(TestRepository.Root, "examples", "acme-support", "roles.yaml"), Path.Combine(folder.FullName, "-roles.yaml"));

            var (exitCode, output) = await CliProcess.RunAsync(folder.FullName, TimeSpan.FromSeconds(60), "validate", "-f", "./-roles.yaml");

            output.Should().Contain("Valid").And.NotContain("Unrecognized");
            exitCode.Should().Be(0);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    // As GNU getopt, Go's flag and pflag (kubectl) read it, --opt= is an empty value, not "take the next argument".
    [Theory]
    [InlineData("plan -f {ex} --secrets-dir= --prune", "--secrets-dir is empty")]
    [InlineData("plan -f {ex} --platform-url= --detailed-exitcode", "--platform-url is empty")]
    [InlineData("apply -f {ex} --token-file= --auto-approve", "--token-file is empty")]
    [InlineData("validate -f {ex} --output=", "--output is empty")]
    [InlineData("validate --filename= -o json", "--filename is empty")]
    [InlineData("export --output-dir=", "--output-dir is empty")]
    [InlineData("platform serve --config= --urls http://127.0.0.1:0", "--config is empty")]
    [InlineData("plan -f {ex} --secrets-dir \"\"", "--secrets-dir is empty")]
    public async Task An_empty_option_value_is_refused_as_empty_and_never_takes_the_next_argument(string arguments, string expected)
    {
        var args = arguments.Replace("{ex}", Example, StringComparison.Ordinal).Replace("\"\"", "\0", StringComparison.Ordinal).Split(' ')
            .Select(a => a == "\0" ? "" : a).ToArray();

        var (exitCode, output, error) = await InProcessCli.RunAsync(args);

        exitCode.Should().Be(1);
        output.Should().BeEmpty();
        error.Should().StartWith($"error: {expected}\n");
    }

    [Theory]
    [InlineData("--secrets-dir=", "")]
    [InlineData("--secrets-dir=s", "s")]
    [InlineData("--secrets-dir:", "")]
    [InlineData("--secrets-dir=a=b", "a=b")]
    public void An_option_written_with_equals_takes_what_follows_it_and_only_that(string written, string expected)
    {
        var environment = new CliEnvironment(_ => null, Directory.GetCurrentDirectory(), IsInteractive: false, _ => { });
        var root = Program.CreateRoot(environment);
        var plan = root.Subcommands.Single(c => c.Name == "plan");

        var parse = Program.Parse(root, ["plan", "-f", Example, written, "--prune"]);

        parse.GetValue(plan.Options.OfType<Option<string?>>().Single(o => o.Name == "--secrets-dir")).Should().Be(expected);
        parse.GetValue(plan.Options.OfType<Option<bool>>().Single(o => o.Name == "--prune")).Should().BeTrue();
    }

    // A number that is not one is said in words, never with the .NET type the library named (System.Nullable`1[System.Int32]).
    // pflag (kubectl) and Go's flag keep the last value of a flag given twice; a list option keeps every value.
    [Theory]
    [InlineData("validate -f {ex} -o json -o text", "Valid: ")]
    [InlineData("validate -f {ex} --output=text -o json", "{")]
    [InlineData("validate -f {ex} -o json --output text", "Valid: ")]
    [InlineData("validate -f {ex} -o text -f {ex}/roles.yaml -o json", "{")]
    public async Task A_flag_that_takes_one_value_given_twice_keeps_the_last(string arguments, string starts)
    {
        var (exitCode, output, error) = await InProcessCli.RunAsync(arguments.Replace("{ex}", Example, StringComparison.Ordinal).Split(' '));

        error.Should().BeEmpty();
        output.Should().StartWith(starts);
        exitCode.Should().Be(0);
    }

    [Theory]
    [InlineData("plan -f {ex} --max-deletes abc", "--max-deletes: 'abc' is not a whole number")]
    [InlineData("plan -f {ex} --max-deletes 2.5", "--max-deletes: '2.5' is not a whole number")]
    [InlineData("plan -f {ex} --max-deletes=", "--max-deletes: '' is not a whole number")]
    [InlineData("plan -f {ex} --requests-per-second fast", "--requests-per-second: 'fast' is not a whole number")]
    [InlineData("apply -f {ex} --parallelism x", "--parallelism: 'x' is not a whole number")]
    [InlineData("platform serve --rate-limit lots", "--rate-limit: 'lots' is not a whole number")]
    [InlineData("platform serve --rate-limit-burst 1e3", "--rate-limit-burst: '1e3' is not a whole number")]
    [InlineData("platform serve --fault-latency-ms slow", "--fault-latency-ms: 'slow' is not a whole number")]
    [InlineData("platform serve --fault-503-rate half", "--fault-503-rate: 'half' is not a number")]
    [InlineData("platform serve --fault-drop-after-commit-rate 1/2", "--fault-drop-after-commit-rate: '1/2' is not a number")]
    [InlineData("plan -f {ex} --max-deletes 0", "--max-deletes must be at least 1; to delete nothing, leave out --prune.")]
    [InlineData("apply -f {ex} --parallelism 0", "--parallelism must be at least 1.")]
    public async Task A_value_that_is_not_a_number_says_so_in_words(string arguments, string expected)
    {
        var (exitCode, output, error) = await InProcessCli.RunAsync(arguments.Replace("{ex}", Example, StringComparison.Ordinal).Split(' '));

        exitCode.Should().Be(1);
        output.Should().BeEmpty();
        error.Should().Be($"error: {expected}\n").And.NotContain("System.");
    }

    [Fact]
    public void Every_numeric_option_is_read_by_OptionValues_Number()
    {
        var environment = new CliEnvironment(_ => null, Directory.GetCurrentDirectory(), IsInteractive: false, _ => { });

        var numeric = Options(Program.CreateRoot(environment))
            .Where(o => (Nullable.GetUnderlyingType(o.ValueType) ?? o.ValueType) is var t && (t == typeof(int) || t == typeof(long) || t == typeof(double)))
            .ToList();

        numeric.Should().NotBeEmpty().And.OnlyContain(o => o.GetType().GetProperty("CustomParser")!.GetValue(o) != null, "a new numeric option needs .Number()");

        static IEnumerable<Option> Options(Command command) => command.Options.Concat(command.Subcommands.SelectMany(Options));
    }

    // Every usage error is exit 1 and one line; platform serve's out-of-range flags were the server's refusal to start (exit 2).
    [Theory]
    [InlineData("platform serve --fault-503-rate 2", "--fault-503-rate must be between 0 and 1.")]
    [InlineData("platform serve --fault-drop-after-commit-rate -0.5", "--fault-drop-after-commit-rate must be between 0 and 1.")]
    [InlineData("platform serve --fault-latency-ms -1", "--fault-latency-ms must not be negative.")]
    [InlineData("platform serve --rate-limit-burst 0", "--rate-limit-burst must be at least 1.")]
    [InlineData("platform serve --urls http://999.1.1.1:1", "--urls 'http://999.1.1.1:1': '999.1.1.1' is neither an IP address nor localhost, and the server would listen on every interface; to do that on purpose, use 0.0.0.0, [::] or *")]
    [InlineData("platform serve --urls http://127.0.0.1:0;http://admin.internal:8080/", "--urls 'http://admin.internal:8080/': 'admin.internal' is neither an IP address nor localhost, and the server would listen on every interface; to do that on purpose, use 0.0.0.0, [::] or *")]
    [InlineData("platform serve --urls 127.0.0.1:8080", "--urls '127.0.0.1:8080' is not a URL to listen on (http://127.0.0.1:8080)")]
    [InlineData("report foo", "users: 'foo' is not valid; use one of: agents, supervisors, admin-allies, invitations")]
    [InlineData("report agents -o pdf", "--output: 'pdf' is not valid; use one of: xlsx, csv, json")]
    [InlineData("completion tcsh", "shell: 'tcsh' is not valid; use one of: bash, zsh, fish, pwsh")]
    public async Task A_usage_error_is_one_line_and_exit_1(string arguments, string expected)
    {
        var (exitCode, output, error) = await InProcessCli.RunAsync(arguments.Split(' '));

        exitCode.Should().Be(1);
        output.Should().BeEmpty();
        error.Should().Be($"error: {expected}\n");
    }

    [Theory]
    [InlineData("export", "--output-dir", "-")]
    [InlineData("schema", "--output-dir", "-")]
    [InlineData("import", "-f", "agents.csv", "--output-dir", "-")]
    public async Task A_dash_is_not_a_folder_to_write_into(params string[] args)
    {
        var folder = Directory.CreateTempSubdirectory();
        try
        {
            var environment = new CliEnvironment(_ => null, folder.FullName, IsInteractive: false, _ => { });
            var (output, error) = (new StringWriter(), new StringWriter());

            var exitCode = await Program.InvokeAsync(Program.Parse(Program.CreateRoot(environment), args), new InvocationConfiguration { Output = output, Error = error });

            exitCode.Should().Be(1);
            error.ToString().Should().Contain("--output-dir: '-' is not a folder");
            Directory.Exists(Path.Combine(folder.FullName, "-")).Should().BeFalse();
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
