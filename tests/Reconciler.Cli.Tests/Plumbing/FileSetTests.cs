using Reconciler.Cli.Plumbing;

namespace Reconciler.Cli.Tests.Plumbing;

/// <summary>A set of files in one folder is written all or none, and never outside the folder.</summary>
public sealed class FileSetTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("reconciler-fileset-");

    private string Folder => Path.Combine(_root.FullName, "org");

    private string Victim => Path.Combine(_root.FullName, "victim.txt");

    [Fact]
    public void Every_file_is_written_and_nothing_is_left_beside_them()
    {
        Directory.CreateDirectory(Folder);
        File.WriteAllText(Path.Combine(Folder, "roles.yaml"), "old and longer than the new text");

        Set(("roles.yaml", "kind: Role\n"), ("agents.yaml", "kind: Agent: Gómez\n")).Write();

        File.ReadAllBytes(Path.Combine(Folder, "roles.yaml")).Should().Equal("kind: Role\n"u8.ToArray());
        File.ReadAllBytes(Path.Combine(Folder, "agents.yaml")).Should().Equal("kind: Agent: Gómez\n"u8.ToArray(), "UTF-8 without a byte-order mark");
        Directory.GetFileSystemEntries(Folder).Select(Path.GetFileName).Should().BeEquivalentTo(["roles.yaml", "agents.yaml"]);
    }

    [Fact]
    public void A_missing_folder_is_created()
    {
        Set(("agents.yaml", "kind: Agent\n")).Write();

        File.ReadAllText(Path.Combine(Folder, "agents.yaml")).Should().Be("kind: Agent\n");
    }

    [Fact]
    public void An_empty_set_makes_no_folder()
    {
        Set().Write();

        Directory.Exists(Folder).Should().BeFalse();
    }

    [Theory]
    [InlineData("folder", "it is a folder, not a file")]
    [InlineData("link out", "it leads to {root}/victim.txt, outside {folder}")]
    [InlineData("link through a folder out", "it leads to {root}/victim.txt, outside {folder}")]
    [InlineData("fifo", "it is a named pipe, not a regular file")]
    [InlineData("link to a fifo inside", "it is a named pipe, not a regular file")]
    [InlineData("link to another file of the set", "it is the same file as {folder}/roles.yaml")]
    [InlineData("link into a missing folder", "the folder {folder}/missing does not exist")]
    [InlineData("link loop", "too many levels of symbolic links")]
    public void A_target_that_cannot_be_replaced_inside_the_folder_is_refused_before_anything_is_written(string hazard, string reason)
    {
        Directory.CreateDirectory(Folder);
        File.WriteAllText(Victim, "untouched");
        File.WriteAllText(Path.Combine(Folder, "roles.yaml"), "old roles");
        var agents = Path.Combine(Folder, "agents.yaml");
        switch (hazard)
        {
            case "folder":
                Directory.CreateDirectory(agents);
                break;
            case "link out":
                File.CreateSymbolicLink(agents, "../victim.txt");
                break;
            case "link through a folder out":
                Directory.CreateSymbolicLink(Path.Combine(Folder, "out"), "..");
                File.CreateSymbolicLink(agents, "out/victim.txt");
                break;
            case "fifo":
                FileNodes.Fifo(agents);
                break;
            case "link to a fifo inside":
                FileNodes.Fifo(Path.Combine(Folder, "pipe"));
                File.CreateSymbolicLink(agents, "pipe");
                break;
            case "link to another file of the set":
                File.CreateSymbolicLink(agents, "roles.yaml");
                break;
            case "link into a missing folder":
                File.CreateSymbolicLink(agents, "missing/agents.yaml");
                break;
            case "link loop":
                File.CreateSymbolicLink(agents, "agents.yaml");
                break;
        }

        var before = Directory.GetFileSystemEntries(_root.FullName, "*", SearchOption.AllDirectories);

        var write = () => Set(("roles.yaml", "kind: Role\n"), ("agents.yaml", "kind: Agent\n"), ("tags.yaml", "kind: TagGroup\n")).Write();

        write.Should().Throw<IOException>().Which.Message.Should().Be(
            $"cannot write {agents}: {reason.Replace("{root}", _root.FullName, StringComparison.Ordinal).Replace("{folder}", Folder, StringComparison.Ordinal)}; nothing was written");
        File.ReadAllText(Victim).Should().Be("untouched");
        File.ReadAllText(Path.Combine(Folder, "roles.yaml")).Should().Be("old roles", "the files before it are not written either");
        Directory.GetFileSystemEntries(_root.FullName, "*", SearchOption.AllDirectories).Should().BeEquivalentTo(before, "no file after it is written, no temporary file is left");
    }

    [Fact]
    public void A_link_to_a_file_inside_the_folder_is_followed_and_stays_a_link()
    {
        Directory.CreateDirectory(Path.Combine(Folder, "kept"));
        File.CreateSymbolicLink(Path.Combine(Folder, "agents.yaml"), "kept/agents.yaml");

        Set(("agents.yaml", "kind: Agent\n")).Write();

        FileNodes.TypeOf(Path.Combine(Folder, "agents.yaml")).Should().Be("symbolic link");
        File.ReadAllText(Path.Combine(Folder, "kept", "agents.yaml")).Should().Be("kind: Agent\n");
    }

    [Fact]
    public void A_write_that_fails_after_others_were_written_beside_their_files_leaves_every_file_as_it_was()
    {
        Directory.CreateDirectory(Folder);
        File.WriteAllText(Path.Combine(Folder, "roles.yaml"), "old roles");
        // The temporary file of the second target cannot be made: a folder holds its name.
        var blocked = Path.Combine(Folder, $".tags.yaml.{Environment.ProcessId}.tmp");
        Directory.CreateDirectory(Path.Combine(blocked, "inside"));

        var write = () => Set(("roles.yaml", "kind: Role\n"), ("tags.yaml", "kind: TagGroup\n")).Write();

        write.Should().Throw<IOException>().Which.Message.Should().MatchRegex($"^cannot write {Folder}/tags.yaml: [^:']+; nothing was written$");
        File.ReadAllText(Path.Combine(Folder, "roles.yaml")).Should().Be("old roles");
        Directory.GetFileSystemEntries(Folder).Select(Path.GetFileName).Should().BeEquivalentTo(["roles.yaml", Path.GetFileName(blocked)]);
    }

    [Fact]
    public void A_cancelled_write_writes_nothing_and_leaves_no_folder_it_made()
    {
        var write = () => Set(("agents.yaml", "kind: Agent\n")).Write(new CancellationToken(canceled: true));

        write.Should().Throw<OperationCanceledException>();
        Directory.Exists(Folder).Should().BeFalse();
    }

    [Fact]
    public void A_folder_that_is_a_file_is_refused()
    {
        File.WriteAllText(Folder, "a file");

        var write = () => Set(("agents.yaml", "kind: Agent\n")).Write();

        write.Should().Throw<IOException>().WithMessage($"cannot write to {Folder}: it is a file, not a folder");
        File.ReadAllText(Folder).Should().Be("a file");
    }

    public void Dispose() => _root.Delete(recursive: true);

    private FileSet Set(params (string Name, string Text)[] files)
    {
        var set = new FileSet(Folder);
        foreach (var (name, text) in files)
            set.Add(Path.Combine(Folder, name), text);
        return set;
    }
}
