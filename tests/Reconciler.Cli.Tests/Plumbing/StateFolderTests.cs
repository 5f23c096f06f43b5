using Reconciler.Cli.Tests.Integration;

namespace Reconciler.Cli.Tests.Plumbing;

/// <summary>
/// A repository can commit <c>.reconciler</c>, or a file in it, as a symbolic link or a named pipe: the CLI refuses to
/// use it, in one line and before anything is written, rather than create its database where the link leads or read
/// without end.
/// </summary>
public sealed class StateFolderTests : IDisposable
{
    private const string Plan = "plan -f acme-support";
    private const string Apply = "apply -f acme-support --platform-url {url} --auto-approve";
    private const string Precious = "precious\n";
    private readonly string _outside = Directory.CreateTempSubdirectory("reconciler-outside-").FullName;

    public static TheoryData<string, string, string> Unusable => new()
    {
        { Plan, ".reconciler", "link" },
        { Apply, ".reconciler", "link" },
        { Plan, ".reconciler", "file" },
        { Plan, ".reconciler/platform.db", "link" },
        { Plan, ".reconciler/platform.db-wal", "link" },
        { Apply, ".reconciler/state.lock", "link" },
        { Apply, ".reconciler/state.lock.json", "link" },
        { Apply, ".reconciler/pending-creates.json", "link" },
        { Apply, ".reconciler/pending-creates.json", "pipe" },
    };

    [Theory]
    [MemberData(nameof(Unusable))]
    public async Task A_state_folder_or_file_that_is_not_real_is_refused_before_anything_is_written(string command, string planted, string kind)
    {
        await using var cli = await CliHarness.StartAsync();
        var path = Path.Combine(cli.Directory, planted);
        var target = Path.Combine(_outside, "target");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        HeldFile? pipe = null;
        switch (kind)
        {
            case "link" when planted == ".reconciler":
                Directory.CreateDirectory(target);
                Directory.CreateSymbolicLink(path, target);
                break;
            case "link":
                await File.WriteAllTextAsync(target, Precious);
                File.CreateSymbolicLink(path, target);
                break;
            case "file":
                await File.WriteAllTextAsync(path, Precious);
                break;
            default:
                pipe = HeldFile.Replace(path);
                break;
        }

        using (pipe)
        {
            // On a thread of its own: a pipe that is opened waits for a writer for ever.
            var run = await Task.Run(() => cli.RunAsync(command)).WaitAsync(TimeSpan.FromSeconds(120));

            run.ExitCode.Should().Be(1, run.ToString());
            var what = (kind, planted) switch
            {
                ("link", ".reconciler") => "a symbolic link; the state folder must be a real folder in the working directory",
                ("file", _) => "a regular file; the state folder must be a real folder in the working directory",
                ("link", _) => "a symbolic link; a state file must be a regular file",
                _ => "a named pipe; a state file must be a regular file",
            };
            run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("warning: ", StringComparison.Ordinal))
                .Should().Equal($"error: {path} is {what} (remove it, and keep .reconciler out of the repository)");
        }

        if (kind == "link" && planted == ".reconciler")
            Directory.GetFileSystemEntries(target).Should().BeEmpty("nothing is created where the link leads");
        else if (kind == "link")
            (await File.ReadAllTextAsync(target)).Should().Be(Precious);
        (await cli.ListAsync("roles")).Should().OnlyContain(r => r.Fields["builtIn"]!.GetValue<bool>(), "nothing was applied");
    }

    [Theory]
    [InlineData("state.lock.json")]
    [InlineData("pending-creates.json")]
    public async Task A_state_files_temporary_file_is_never_written_through_a_link(string file)
    {
        // Where the staged writer names one (Plumbing/StagedFile), the name ends in the process id, which a CI job's often
        // repeats: a repository could commit a link by that name.
        await using var cli = await CliHarness.StartAsync();
        var target = Path.Combine(_outside, "target");
        await File.WriteAllTextAsync(target, Precious);
        Directory.CreateDirectory(Path.Combine(cli.Directory, ".reconciler"));
        File.CreateSymbolicLink(Path.Combine(cli.Directory, ".reconciler", $".{file}.{Environment.ProcessId}.tmp"), target);

        var run = await cli.RunAsync(Apply);

        run.ExitCode.Should().Be(0, run.ToString());
        (await File.ReadAllTextAsync(target)).Should().Be(Precious);
    }

    public void Dispose() => Directory.Delete(_outside, recursive: true);
}
