using System.Diagnostics;
using Reconciler.Cli.Tests.Integration;
using Reconciler.Cli.Tests.Spreadsheets;

namespace Reconciler.Cli.Tests;

/// <summary>
/// <c>-f -</c>: manifests piped in, as kubectl reads them (<c>kustomize build | reconciler apply -f -</c>), the CLI a real
/// process with its standard input a pipe.
/// </summary>
public sealed class StandardInputProcessTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    private readonly string _directory = Directory.CreateTempSubdirectory("reconciler-stdin-").FullName;

    private static string Example => Path.Combine(TestRepository.Root, "examples", "acme-support");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [KubectlFact]
    public async Task What_kubectl_kustomize_renders_is_applied_from_standard_input_and_then_plans_clean()
    {
        // The example folder as a kustomize base: kustomize reorders, reformats and re-quotes every document.
        var basis = Path.Combine(_directory, "base");
        CopyYaml(Example, basis);
        var files = Directory.GetFiles(basis, "*.yaml", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(basis, f).Replace('\\', '/')).Order(StringComparer.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(basis, "kustomization.yaml"), "resources:\n" + string.Concat(files.Select(f => $"- {f}\n")));
        var (built, rendered, problem) = await SpreadsheetTools.RunAsync(Kustomize.Kubectl!, ["kustomize", basis], Timeout);
        built.Should().Be(0, problem);

        var secrets = Path.Combine(Example, "secrets");
        var apply = await RunAsync(rendered, "apply", "-f", "-", "--secrets-dir", secrets, "--auto-approve");
        apply.Exit.Should().Be(0, apply.Output);
        apply.Output.Should().MatchRegex(@"Apply complete: \d+ created, 0 updated, 1 adopted, 0 deleted, 0 failed, 0 skipped\.");

        var plan = await RunAsync(rendered, "plan", "-f", "-", "--secrets-dir", secrets, "--detailed-exitcode");
        plan.Exit.Should().Be(0, plan.Output);
        plan.Output.Should().Contain("No changes.");
    }

    [Fact]
    public async Task A_problem_in_piped_manifests_is_placed_in_STDIN()
    {
        var validate = await RunAsync("apiVersion: support.reconciler.dev/v1alpha1\nkind: Role\nmetadata: {name: r}\nspec:\n  displayName: R\n  colour: red\n", "validate", "-f", "-");

        validate.Exit.Should().Be(1);
        validate.Output.Should().Contain("STDIN:6:3: spec.colour: unknown field \"colour\"");
    }

    [Fact]
    public async Task A_plan_of_piped_manifests_is_not_saved_since_apply_cannot_read_them_again()
    {
        var manifests = string.Join("---\n", Directory.GetFiles(Example, "*.yaml").Order(StringComparer.Ordinal).Select(File.ReadAllText));
        var saved = Path.Combine(_directory, "plan.json");

        var plan = await RunAsync(manifests, "plan", "-f", "-", "--secrets-dir", Path.Combine(Example, "secrets"), "--out", saved);

        plan.Exit.Should().Be(1, plan.Output);
        plan.Output.Should().Contain("-f - read the manifests from standard input");
        File.Exists(saved).Should().BeFalse();
    }

    [Fact]
    public async Task A_standard_input_closed_at_start_is_named_as_closed_not_read_as_the_runtime_s_own_file()
    {
        // bash's <&- starts the CLI with descriptor 0 closed, which the runtime then reuses for a file of its own.
        var launch = CliLaunch.UnderTest;
        var info = new ProcessStartInfo("bash") { WorkingDirectory = _directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["-c", "exec \"$0\" \"$@\" <&-", launch.FileName, .. launch.Prefix, "validate", "-f", "-"])
            info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(Timeout);
        await process.WaitForExitAsync(cancel.Token);

        (await output + await error).Should().Contain("STDIN: cannot read standard input: it was closed when the command started");
        process.ExitCode.Should().Be(1);
    }

    private async Task<(int Exit, string Output)> RunAsync(string input, params string[] arguments)
    {
        var info = CliLaunch.UnderTest.StartInfo(arguments);
        info.RedirectStandardInput = true;
        info.WorkingDirectory = _directory;
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        using var cancel = new CancellationTokenSource(Timeout);
        await process.WaitForExitAsync(cancel.Token);
        return (process.ExitCode, await output + await error);
    }

    private static void CopyYaml(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*.yaml", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
