using System.Net.Sockets;
using System.Text;
using CsCheck;
using Reconciler.Core.Manifests;
using static Reconciler.Core.Tests.TestManifests;

namespace Reconciler.Core.Tests.Manifests;

/// <summary>Loading from disk: folders recursively, YAML extensions only, a stable order, clean errors for missing files.</summary>
public sealed class ManifestLoaderFileTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("reconciler-loader-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void A_file_reads_as_File_ReadAllText_reads_it_whatever_its_bytes()
    {
        // Byte order marks of every encoding, invalid and truncated UTF-8, multi-byte characters; long enough to cross the reader's buffers.
        var pieces = Gen.OneOf<byte[]>(
            [0xEF, 0xBB, 0xBF], [0xFE, 0xFF], [0xFF, 0xFE], [0x00, 0x00, 0xFE, 0xFF], [0xFF, 0xFE, 0x00, 0x00], [0xEF, 0xBB], [0xC3], [0xA9],
            [0xE2, 0x82], [0xF0, 0x9F, 0x98, 0x80], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0x00], "a: é\n"u8.ToArray(), "x"u8.ToArray());
        var files = Gen.Select(pieces.Array[0, 6], Gen.Int[0, 9_000]).Select((parts, filler) => parts.Take(1).Append(Encoding.UTF8.GetBytes(new string('a', filler))).Concat(parts.Skip(1)).SelectMany(p => p).ToArray());
        var file = Path.Combine(_root, "bytes.yaml");

        files.Sample(bytes =>
        {
            File.WriteAllBytes(file, bytes);
            SourceText.Read(file, ManifestLimits.Default.MaxFileBytes)!.Decode().Should().Be(File.ReadAllText(file, Encoding.UTF8));
        }, iter: 500, threads: 1);
    }

    [Fact]
    public void Load_AFolder_ReadsYamlFilesRecursivelyInPathOrder()
    {
        Write("b.yaml", Agent("from-b"));
        Write("a/nested.yml", Agent("from-nested"));
        Write("a.yaml", Agent("from-a"));
        Write("notes.txt", "not: yaml at all: [");

        var set = ManifestLoader.Load([_root]);

        set.Diagnostics.Should().BeEmpty();
        set.Resources.Select(r => r.Metadata.Name).Should().Equal("from-a", "from-nested", "from-b");
        set.Resources[1].Source!.File.Should().EndWith("nested.yml");
    }

    [Fact]
    public void Load_ManyFiles_GivesResourcesAndDiagnosticsInFileOrderEveryTime()
    {
        // Files parse in parallel; what comes out must not depend on which finished first.
        for (var i = 0; i < 24; i++)
            Write($"f{i:D2}.yaml", Agent($"agent-{i}") + Agent("shared") + (i % 5 == 0 ? Agent($"bad-{i}", "level: L9") : ""));
        var expectedNames = Enumerable.Range(0, 24).SelectMany(i => i == 0 ? new[] { "agent-0", "shared" } : [$"agent-{i}"]).ToList();

        for (var run = 0; run < 10; run++)
        {
            var set = ManifestLoader.Load([_root]);

            set.Resources.Select(r => r.Metadata.Name).Should().Equal(expectedNames);
            set.Diagnostics.Select(d => (Path.GetFileName(d.File), d.Code)).Should().Equal(
                Enumerable.Range(0, 24).SelectMany(i => (i == 0 ? Array.Empty<(string, string)>() : [($"f{i:D2}.yaml", DiagnosticCodes.DuplicateResource)])
                    .Concat(i % 5 == 0 ? [($"f{i:D2}.yaml", DiagnosticCodes.EnumValue)] : Array.Empty<(string, string)>())));
            set.Diagnostics.Where(d => d.Code == DiagnosticCodes.DuplicateResource).Should().OnlyContain(d => d.Message.Contains("f00.yaml"));
        }
    }

    [Fact]
    public void A_file_the_block_reader_gives_up_on_midway_loads_each_document_once()
    {
        // Documents are loaded as each is read; the anchor in the third makes the block reader give up and the file be
        // read again by YamlDotNet, so the two documents loaded before it must be forgotten, their diagnostics too.
        Write("mixed.yaml", Agent("first", "level: L9") + Agent("second") + Agent("third", "languages: &langs [en]"));

        var set = ManifestLoader.Load([_root]);

        set.Resources.Select(r => r.Metadata.Name).Should().Equal("second", "third");
        set.Diagnostics.Select(d => (d.Code, d.Line)).Should().Equal((DiagnosticCodes.EnumValue, 8));
    }

    [Fact]
    public void A_symlink_loop_is_reported_once_as_a_loop_and_every_file_is_read_once()
    {
        Write("org/agents/a.yaml", Agent("a"));
        Write("org/b.yaml", Agent("b"));
        Directory.CreateSymbolicLink(Path.Combine(_root, "org", "agents", "back"), Path.Combine(_root, "org"));

        var set = ManifestLoader.Load([Path.Combine(_root, "org")]);

        set.Diagnostics.Should().ContainSingle().Which.Code.Should().Be(DiagnosticCodes.SymlinkLoop);
        set.Diagnostics[0].Message.Should().Contain("symlink loop");
        set.Resources.Select(r => r.Metadata.Name).Should().BeEquivalentTo(["a", "b"]);
    }

    [Theory]
    [InlineData("shared", "folder")]
    [InlineData("shared/c.yaml", "file")]
    public void A_symlink_out_of_the_folder_is_reported_and_not_read(string target, string kind)
    {
        Write("shared/c.yaml", Agent("c"));
        Write("org/b.yaml", Agent("b"));
        var link = Path.Combine(_root, "org", kind == "folder" ? "shared" : "c.yaml");
        if (kind == "folder")
            Directory.CreateSymbolicLink(link, Path.Combine(_root, target));
        else
            File.CreateSymbolicLink(link, Path.Combine(_root, target));

        var set = ManifestLoader.Load([Path.Combine(_root, "org")]);

        set.Diagnostics.Should().ContainSingle().Which.Should().Match<Diagnostic>(d => d.Code == DiagnosticCodes.SymlinkOutside && d.File == link);
        set.Resources.Select(r => r.Metadata.Name).Should().Equal("b");
        ManifestLoader.Load([Path.Combine(_root, "org"), Path.Combine(_root, "shared")]).Resources.Select(r => r.Metadata.Name)
            .Should().BeEquivalentTo(["b", "c"], "a folder named on the command line is read, wherever links to it are");
    }

    [Fact]
    public void A_link_whose_dots_climb_out_through_another_link_is_not_read()
    {
        // The kernel resolves a/b/s first and takes ".." from where it leads (org/c), so the target is outside/secret.yaml;
        // collapsing the dots as written would make it org/a/secret.yaml, inside.
        Write("secret.yaml", Agent("secret"));
        Write("org/b.yaml", Agent("b"));
        Directory.CreateDirectory(Path.Combine(_root, "org", "a", "b"));
        Directory.CreateDirectory(Path.Combine(_root, "org", "c"));
        Directory.CreateSymbolicLink(Path.Combine(_root, "org", "a", "b", "s"), Path.Combine("..", "..", "c"));
        var leak = Path.Combine(_root, "org", "leak.yaml");
        File.CreateSymbolicLink(leak, string.Join(Path.DirectorySeparatorChar, "a", "b", "s", "..", "..", "secret.yaml"));

        var set = ManifestLoader.Load([Path.Combine(_root, "org")]);

        File.ReadAllText(leak).Should().Contain("secret", "this is where the kernel takes the link");
        set.Diagnostics.Should().ContainSingle().Which.Should().Match<Diagnostic>(d => d.Code == DiagnosticCodes.SymlinkOutside && d.File == leak);
        set.Resources.Select(r => r.Metadata.Name).Should().Equal("b");
    }

    [Fact]
    public void A_link_to_a_device_in_a_folder_is_not_read()
    {
        Write("org/b.yaml", Agent("b"));
        File.CreateSymbolicLink(Path.Combine(_root, "org", "zero.yaml"), "/dev/zero");

        var set = ManifestLoader.Load([Path.Combine(_root, "org")]);

        set.Diagnostics.Should().ContainSingle().Which.Code.Should().Be(DiagnosticCodes.SymlinkOutside);
        set.Resources.Should().ContainSingle();
    }

    [Fact]
    public void Symlinks_that_stay_inside_the_folder_are_followed()
    {
        Write("org/real/a.yaml", Agent("a"));
        Write("org/data/c.txt", Agent("c"));
        Directory.CreateSymbolicLink(Path.Combine(_root, "org", "alias"), "real");
        File.CreateSymbolicLink(Path.Combine(_root, "org", "c.yaml"), Path.Combine("data", "c.txt"));

        var set = ManifestLoader.Load([Path.Combine(_root, "org")]);

        set.Diagnostics.Should().BeEmpty();
        set.Resources.Select(r => r.Metadata.Name).Should().BeEquivalentTo(["a", "c"]);
    }

    [Theory]
    [InlineData("pipe.yaml", "a named pipe")]
    [InlineData("link.yaml", "a named pipe")]
    [InlineData("socket.yaml", "a socket")]
    public async Task A_file_in_a_folder_that_is_not_a_regular_file_is_reported_without_being_opened(string name, string kind)
    {
        // Opening the pipe would wait for a writer for ever; the socket cannot be opened at all.
        Write("org/b.yaml", Agent("b"));
        var pipe = NamedPipes.Create(Path.Combine(_root, "org", "pipe.data"));
        var special = Path.Combine(_root, "org", name);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        if (name == "pipe.yaml")
            File.Move(pipe, special);
        else if (name == "link.yaml")
            File.CreateSymbolicLink(special, "pipe.data");
        else
            socket.Bind(new UnixDomainSocketEndPoint(special));

        try
        {
            var set = await Task.Run(() => ManifestLoader.Load([Path.Combine(_root, "org")])).WaitAsync(TimeSpan.FromSeconds(30));

            set.Diagnostics.Should().ContainSingle().Which.Should().Match<Diagnostic>(d => d.Code == DiagnosticCodes.NotRegularFile && d.File == special);
            set.Diagnostics[0].Message.Should().Be($"{kind}, not a regular file; not read. Name it with -f to read it.");
            set.Resources.Select(r => r.Metadata.Name).Should().Equal("b");
        }
        finally
        {
            NamedPipes.Release(name == "pipe.yaml" ? special : pipe);
        }
    }

    [Fact]
    public async Task A_named_pipe_named_on_the_command_line_is_read_as_cat_reads_it()
    {
        var pipe = NamedPipes.Create(Path.Combine(_root, "rendered.yaml"));

        var load = Task.Run(() => ManifestLoader.Load([pipe]));
        await Task.Run(() => File.WriteAllText(pipe, Agent("piped"))).WaitAsync(TimeSpan.FromSeconds(30));
        var set = await load.WaitAsync(TimeSpan.FromSeconds(30));

        set.Diagnostics.Should().BeEmpty();
        set.Resources.Should().ContainSingle().Which.Metadata.Name.Should().Be("piped");
    }

    [Fact]
    public void A_device_named_on_the_command_line_is_read_only_up_to_the_size_limit()
    {
        var set = ManifestLoader.Load(["/dev/zero"], new ManifestLimits { MaxFileBytes = 1024 * 1024 });

        set.Diagnostics.Should().ContainSingle().Which.Code.Should().Be(DiagnosticCodes.FileTooLarge);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF }, 3, 17, 0xFF)]
    [InlineData(new byte[] { 0xC3, 0x28 }, 3, 17, 0xC3)]
    [InlineData(new byte[] { 0xC3 }, 3, 17, 0xC3)]
    [InlineData(new byte[] { 0xC3, 0xA9, 0xE2, 0x82 }, 3, 18, 0xE2)]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 }, 3, 17, 0xED)]
    public void A_file_that_is_not_UTF8_is_reported_where_it_stops_being_UTF8(byte[] bad, int line, int column, int at)
    {
        var file = Path.Combine(_root, "latin1.yaml");
        File.WriteAllBytes(file, [.. "# agents\nkind: Role\ndisplayName: Jos"u8, .. bad, .. "\n"u8]);

        var set = ManifestLoader.Load([file]);

        set.Diagnostics.Should().ContainSingle().Which.Should().Match<Diagnostic>(d =>
            d.Code == DiagnosticCodes.InvalidEncoding && d.Line == line && d.Column == column && d.Message.Contains($"0x{at:X2}"));
        set.Resources.Should().BeEmpty();
    }

    [Fact]
    public void Load_TheSameFileTwice_ReadsItOnce()
    {
        var file = Write("a.yaml", Agent("a"));

        ManifestLoader.Load([file, _root]).Diagnostics.Should().BeEmpty();
    }

    [Fact]
    public void Load_AMissingPath_ReportsItWithoutThrowing()
    {
        var missing = Path.Combine(_root, "missing.yaml");

        var set = ManifestLoader.Load([missing]);

        set.Diagnostics.Should().ContainSingle().Which.Should().Match<Diagnostic>(d => d.Code == DiagnosticCodes.FileNotFound && d.File == missing);
    }

    [Fact]
    public void Load_AFileOverTheSizeLimit_ReportsItWithoutReadingIt()
    {
        var file = Write("big.yaml", new string('#', 2000));

        ManifestLoader.Load([file], new ManifestLimits { MaxFileBytes = 1000 }).Diagnostics
            .Should().ContainSingle().Which.Code.Should().Be(DiagnosticCodes.FileTooLarge);
    }

    [Fact]
    public void Load_ReferencesAcrossFiles_Resolve()
    {
        Write("hours.yaml", Background);
        Write("agents.yaml", Agent("a", "businessUnitRefs: [{name: support}]\nsupervisorRef: {name: boss}"));

        Core.Validation.ManifestValidator.Validate([_root]).Diagnostics.Should().BeEmpty();
    }

    [Fact]
    public void Dash_reads_standard_input_once_named_STDIN_beside_files()
    {
        var file = Write("roles.yaml", Agent("from-file"));
        var opened = 0;
        Stream Piped()
        {
            opened++;
            return new PipeLikeStream(Encoding.UTF8.GetBytes(Agent("from-stdin") + Agent("broken", "level: L9")));
        }

        var set = ManifestLoader.Load(["-", file, "-"], standardInput: Piped);

        opened.Should().Be(1, "a second read would find the stream at its end");
        set.Resources.Select(r => (r.Metadata.Name, r.Source!.File)).Should().Equal(("from-stdin", "STDIN"), ("from-file", file));
        set.Diagnostics.Should().ContainSingle().Which.Should().Match<Diagnostic>(d => d.File == "STDIN" && d.Path == "spec.level" && d.Line == 16);
    }

    [Fact]
    public void Standard_input_is_read_within_the_file_limit_whatever_it_reports()
    {
        var limits = new ManifestLimits { MaxFileBytes = 1_000 };

        var set = ManifestLoader.Load(["-"], limits, () => new PipeLikeStream(new byte[100_000]));

        set.Diagnostics.Should().ContainSingle().Which.Should().Match<Diagnostic>(d => d.Code == DiagnosticCodes.FileTooLarge && d.File == "STDIN");
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n---\n")]
    [InlineData("apiVersion: v1\nkind: List\nitems: []\n")]
    public void Standard_input_without_manifests_is_an_error_as_kubectl_makes_it(string piped)
    {
        // kustomize build | reconciler apply -f - --prune, after a failed render, must not plan to delete everything.
        var set = ManifestLoader.Load(["-"], standardInput: () => new PipeLikeStream(Encoding.UTF8.GetBytes(piped)));

        set.Diagnostics.Should().ContainSingle().Which.Should().Match<Diagnostic>(d => d.Code == DiagnosticCodes.NoManifests && d.File == "STDIN");
    }

    // What an empty folder or an emptied file holds: no resource, which kubectl refuses too ("no objects passed to apply").
    [Theory]
    [InlineData("empty", null, "empty")]
    [InlineData("only-other-files", "notes.txt", "only-other-files")]
    [InlineData("comments", "comments.yaml", "comments")]
    [InlineData("comments/comments.yaml", "comments.yaml", "comments/comments.yaml")]
    public void Files_and_folders_without_manifests_are_an_error_as_kubectl_makes_it(string named, string? file, string reported)
    {
        Directory.CreateDirectory(Path.Combine(_root, named.Split('/')[0]));
        if (file is not null)
            Write(Path.Combine(named.Split('/')[0], file), file.EndsWith(".yaml", StringComparison.Ordinal) ? "# only a comment\n---\n---\n" : "not yaml");

        var set = ManifestLoader.Load([Path.Combine(_root, named)]);

        set.Diagnostics.Should().ContainSingle().Which.Should().Match<Diagnostic>(d => d.Code == DiagnosticCodes.NoManifests && d.IsError && d.File == Path.Combine(_root, reported));
    }

    [Fact]
    public void An_empty_folder_beside_one_with_manifests_is_no_error_as_kubectl_reads_them_together()
    {
        Directory.CreateDirectory(Path.Combine(_root, "empty"));
        Write("org/a.yaml", Agent("a"));

        var set = ManifestLoader.Load([Path.Combine(_root, "empty"), Path.Combine(_root, "org")]);

        set.Diagnostics.Should().BeEmpty();
        set.Resources.Should().ContainSingle();
    }

    [Fact]
    public void A_file_named_dash_is_read_as_dot_slash_dash()
    {
        Write("-", Agent("dash"));

        ManifestLoader.Load([Path.Combine(_root, "-")]).Resources.Should().ContainSingle().Which.Metadata.Name.Should().Be("dash");
    }

    /// <summary>A pipe: no length, no seeking, and short reads.</summary>
    private sealed class PipeLikeStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 7));
    }

    private string Write(string relative, string text)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }
}
