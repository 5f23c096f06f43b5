using System.IO.Pipes;
using Reconciler.Cli.Plumbing;

namespace Reconciler.Cli.Tests.Plumbing;

/// <summary>
/// A write that fails half way leaves the old file as it was and no temporary file beside it; a path is written as shell
/// redirection writes it: links followed to their file, devices and pipes written into, never replaced.
/// </summary>
public sealed class AtomicFileTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("reconciler-atomic-");

    private string Folder => _folder.FullName;

    [Fact]
    public void A_write_that_fails_half_way_keeps_the_old_file_and_leaves_nothing_beside_it()
    {
        var path = Path.Combine(Folder, "agents.yaml");
        File.WriteAllText(path, "old");

        var write = () => AtomicFile.Write(path, stream =>
        {
            stream.Write("new, half"u8);
            throw new IOException("disk full");
        });

        write.Should().Throw<IOException>();
        File.ReadAllText(path).Should().Be("old");
        _folder.GetFiles().Select(f => f.Name).Should().Equal("agents.yaml");
    }

    [Fact]
    public async Task A_complete_write_replaces_the_file_and_leaves_nothing_beside_it()
    {
        var path = Path.Combine(Folder, "agents.yaml");
        await File.WriteAllTextAsync(path, "old and longer than the new text");

        await AtomicFile.WriteAllTextAsync(path, "apiVersion: v1\n", CancellationToken.None);

        File.ReadAllBytes(path).Should().Equal("apiVersion: v1\n"u8.ToArray(), "UTF-8 without a byte-order mark");
        _folder.GetFiles().Select(f => f.Name).Should().Equal("agents.yaml");
    }

    [Theory]
    [InlineData("missing/report.csv", "cannot write {folder}/missing/report.csv: the folder {folder}/missing does not exist")]
    [InlineData("report.csv", "cannot write {folder}/report.csv: it is a folder; give a file name")]
    [InlineData("dangling.csv", "cannot write {folder}/dangling.csv: the folder {folder}/missing does not exist")]
    [InlineData("loop.csv", "cannot write {folder}/loop.csv: too many levels of symbolic links")]
    public async Task A_path_that_leads_to_no_file_it_can_write_is_one_line_naming_it_and_nothing_is_created(string name, string message)
    {
        Directory.CreateDirectory(Path.Combine(Folder, "report.csv"));
        File.CreateSymbolicLink(Path.Combine(Folder, "dangling.csv"), "missing/report.csv");
        File.CreateSymbolicLink(Path.Combine(Folder, "loop.csv"), "loop.csv");
        var before = Directory.GetFileSystemEntries(Folder, "*", SearchOption.AllDirectories);

        var write = () => AtomicFile.WriteAllTextAsync(Path.Combine(Folder, name), "Name\n", CancellationToken.None);

        (await write.Should().ThrowAsync<IOException>()).Which.Message.Should().Be(message.Replace("{folder}", Folder, StringComparison.Ordinal));
        Directory.GetFileSystemEntries(Folder, "*", SearchOption.AllDirectories).Should().BeEquivalentTo(before, "no folder is made, no temporary file is left");
    }

    [Theory]
    [InlineData("report.csv")]
    [InlineData("via-another-link.csv")]
    [InlineData("to-a-new-file.csv")]
    public async Task A_symbolic_link_stays_a_link_and_the_file_it_finally_names_gets_the_content(string link)
    {
        Directory.CreateDirectory(Path.Combine(Folder, "reports"));
        var target = link == "to-a-new-file.csv" ? Path.Combine(Folder, "reports", "new.csv") : Path.Combine(Folder, "reports", "real.csv");
        await File.WriteAllTextAsync(Path.Combine(Folder, "reports", "real.csv"), "old");
        File.CreateSymbolicLink(Path.Combine(Folder, "report.csv"), "reports/real.csv");
        File.CreateSymbolicLink(Path.Combine(Folder, "via-another-link.csv"), "report.csv");
        File.CreateSymbolicLink(Path.Combine(Folder, "to-a-new-file.csv"), "reports/new.csv");

        await AtomicFile.WriteAllTextAsync(Path.Combine(Folder, link), "Name\n", CancellationToken.None);

        FileNodes.TypeOf(Path.Combine(Folder, link)).Should().Be("symbolic link");
        (await File.ReadAllTextAsync(target)).Should().Be("Name\n");
        Directory.GetFiles(Path.Combine(Folder, "reports"), ".*").Should().BeEmpty("the temporary file was beside the target, and is gone");
    }

    [Fact]
    public async Task A_named_pipe_is_written_into_and_stays_a_pipe()
    {
        var fifo = Path.Combine(Folder, "report.csv");
        FileNodes.Fifo(fifo);
        var reading = Task.Run(() => File.ReadAllText(fifo));
        try
        {
            await AtomicFile.WriteAllTextAsync(fifo, "Name\n", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

            (await reading.WaitAsync(TimeSpan.FromSeconds(30))).Should().Be("Name\n");
            FileNodes.TypeOf(fifo).Should().Be("fifo");
        }
        finally
        {
            // A reader still waiting (the write replaced the pipe instead) gets its end of file.
            if (!reading.IsCompleted && FileNodes.TypeOf(fifo) == "fifo")
                new FileStream(fifo, FileMode.Open, FileAccess.Write).Dispose();
        }
    }

    [Fact]
    public async Task A_shells_dev_fd_pipe_gets_the_content()
    {
        // What bash passes for --output-file >(gzip > r.csv.gz): /dev/fd/63, the write end of a pipe.
        using var pipe = new AnonymousPipeServerStream(PipeDirection.In);
        var path = $"/dev/fd/{pipe.ClientSafePipeHandle.DangerousGetHandle()}";

        await AtomicFile.WriteAllTextAsync(path, "Name\n", CancellationToken.None);
        pipe.DisposeLocalCopyOfClientHandle();

        (await new StreamReader(pipe).ReadToEndAsync()).Should().Be("Name\n");
        _folder.GetFileSystemInfos().Should().BeEmpty();
    }

    [DeviceNodeFact]
    public void A_device_is_written_into_and_stays_a_device()
    {
        var device = Path.Combine(Folder, "null");
        FileNodes.Null(device);

        AtomicFile.Write(device, stream => stream.Write("workbook"u8));

        FileNodes.TypeOf(device).Should().Be("character special file");
        _folder.GetFileSystemInfos().Select(f => f.Name).Should().Equal("null");
    }

    [DeviceNodeFact]
    public async Task A_device_that_refuses_the_write_is_one_line_naming_it()
    {
        var device = Path.Combine(Folder, "full");
        FileNodes.Full(device);

        var write = () => AtomicFile.WriteAllTextAsync(device, "Name\n", CancellationToken.None);

        (await write.Should().ThrowAsync<IOException>()).Which.Message.Should().Be($"cannot write {device}: No space left on device");
        FileNodes.TypeOf(device).Should().Be("character special file");
    }

    [Fact]
    public async Task A_symbolic_link_at_the_temporary_files_name_is_not_followed()
    {
        var outside = Path.Combine(Folder, "outside.txt");
        await File.WriteAllTextAsync(outside, "untouched");
        Directory.CreateDirectory(Path.Combine(Folder, "out"));
        var path = Path.Combine(Folder, "out", "report.csv");
        File.CreateSymbolicLink(Path.Combine(Folder, "out", $".report.csv.{Environment.ProcessId}.tmp"), outside);

        await AtomicFile.WriteAllTextAsync(path, "Name\n", CancellationToken.None);

        (await File.ReadAllTextAsync(outside)).Should().Be("untouched");
        (await File.ReadAllTextAsync(path)).Should().Be("Name\n");
    }

    [Fact]
    public async Task The_temporary_file_a_killed_run_left_is_removed_by_the_next_write_and_one_that_cannot_be_is_no_reason_to_fail()
    {
        if (!OperatingSystem.IsLinux())
            return; // whether a process is gone is read in /proc
        var path = Path.Combine(Folder, "report.csv");
        // Process ids above the kernel's pid_max (at most 2^22): runs that are certainly gone.
        var removable = Path.Combine(Folder, ".report.csv.999999998.tmp");
        var stuck = Path.Combine(Folder, ".report.csv.999999999.tmp");
        await File.WriteAllTextAsync(removable, "half");
        await File.WriteAllTextAsync(stuck, "half");
        // Immutable: not even root may remove it, as a file in a folder one may not write to.
        if (!await RunAsync("chattr", "+i", stuck))
            return;
        try
        {
            await AtomicFile.WriteAllTextAsync(path, "Name\n", CancellationToken.None);

            (await File.ReadAllTextAsync(path)).Should().Be("Name\n");
            File.Exists(removable).Should().BeFalse("the run that left it is gone");
        }
        finally
        {
            await RunAsync("chattr", "-i", stuck);
        }
    }

    public void Dispose() => _folder.Delete(recursive: true);

    private static async Task<bool> RunAsync(string program, params string[] arguments)
    {
        try
        {
            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(program, arguments) { RedirectStandardError = true })!;
            await process.WaitForExitAsync();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // not installed
        }
    }
}
