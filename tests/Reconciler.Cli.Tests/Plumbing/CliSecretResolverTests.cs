using Reconciler.Cli.Plumbing;
using Reconciler.Core.Resources;

namespace Reconciler.Cli.Tests.Plumbing;

/// <summary>The CLI reads secret files only inside --secrets-dir, whatever the reference or the symlinks in the folder say.</summary>
public sealed class CliSecretResolverTests : IDisposable
{
    private const string Outside = "CANARY-outside-the-secrets-dir";
    private readonly string _root = Directory.CreateTempSubdirectory("reconciler-secrets-").FullName;

    public CliSecretResolverTests()
    {
        Directory.CreateDirectory(Secrets);
        File.WriteAllText(Path.Combine(_root, "token.txt"), Outside);
    }

    private string Secrets => Path.Combine(_root, "secrets");

    public static TheoryData<string, string> Escapes => new()
    {
        { "../outside", "token.txt" },
        { "..", "token.txt" },
        { "x", "/proc/self/environ" },
        { "x", "../../token.txt" },
        { "x", ".." },
    };

    [Theory]
    [MemberData(nameof(Escapes))]
    public async Task A_reference_that_is_not_a_Kubernetes_name_and_key_is_refused_before_any_file_is_read(string name, string key)
    {
        Directory.CreateDirectory(Path.Combine(Secrets, "x"));

        var lookup = await Resolver().ResolveAsync(new SecretKeyRef { Name = name, Key = key }, CancellationToken.None);

        lookup.Value.Should().BeNull();
        lookup.Error.Should().Contain("not a Kubernetes Secret name and key");
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n")]
    [InlineData("   \r\n")]
    public async Task An_empty_secret_file_is_no_secret(string content)
    {
        Directory.CreateDirectory(Path.Combine(Secrets, "okta"));
        File.WriteAllText(Path.Combine(Secrets, "okta", "clientSecret"), content);

        var lookup = await Resolver().ResolveAsync(new SecretKeyRef { Name = "okta", Key = "clientSecret" }, CancellationToken.None);

        lookup.Value.Should().BeNull();
        lookup.Error.Should().EndWith("is empty");
    }

    [Fact]
    public async Task A_secret_file_larger_than_any_secret_is_refused_unread()
    {
        Directory.CreateDirectory(Path.Combine(Secrets, "okta"));
        File.WriteAllBytes(Path.Combine(Secrets, "okta", "clientSecret"), new byte[(1024 * 1024) + 1]);

        var lookup = await Resolver().ResolveAsync(new SecretKeyRef { Name = "okta", Key = "clientSecret" }, CancellationToken.None);

        lookup.Value.Should().BeNull();
        lookup.Error.Should().Contain("holds more than 1024 KiB");
    }

    [Fact]
    public async Task A_secret_file_that_is_a_named_pipe_is_refused_without_being_opened()
    {
        Directory.CreateDirectory(Path.Combine(Secrets, "fifo"));
        using var pipe = HeldFile.Replace(Path.Combine(Secrets, "fifo", "clientSecret"));

        // On a thread of its own: opening the pipe would wait for a writer for ever.
        var lookup = await Task.Run(() => Resolver().ResolveAsync(new SecretKeyRef { Name = "fifo", Key = "clientSecret" }, CancellationToken.None).AsTask()).WaitAsync(TimeSpan.FromSeconds(30));

        lookup.Value.Should().BeNull();
        lookup.Error.Should().Be($"secret fifo/clientSecret: {Path.Combine(Secrets, "fifo", "clientSecret")} is a named pipe, not a regular file; not read");
    }

    public static TheoryData<byte[]> NotUtf8 => new()
    {
        { [0xFF, .. "SECRET"u8, 0xFE] },
        { [.. "SECRET"u8, 0xC3] },
        { [.. "SEC"u8, 0xED, 0xA0, 0x80, .. "RET"u8] },
        { [0xFF, 0xFE, .. "S\0E\0C\0R\0E\0T\0"u8] },
    };

    [Theory]
    [MemberData(nameof(NotUtf8))]
    public async Task A_secret_file_that_is_not_UTF8_is_refused_by_name_without_its_bytes(byte[] content)
    {
        Directory.CreateDirectory(Path.Combine(Secrets, "sso-microsoft"));
        var file = Path.Combine(Secrets, "sso-microsoft", "clientSecret");
        File.WriteAllBytes(file, content);

        var lookup = await Resolver().ResolveAsync(new SecretKeyRef { Name = "sso-microsoft", Key = "clientSecret" }, CancellationToken.None);

        lookup.Value.Should().BeNull("U+FFFD in place of a byte would be another credential");
        lookup.Error.Should().Be($"secret sso-microsoft/clientSecret: {file} is not UTF-8 text; a secret file must hold its value as UTF-8");
    }

    [Fact]
    public async Task A_UTF8_secret_is_read_as_written_without_its_byte_order_mark()
    {
        Directory.CreateDirectory(Path.Combine(Secrets, "okta"));
        File.WriteAllBytes(Path.Combine(Secrets, "okta", "clientSecret"), [0xEF, 0xBB, 0xBF, .. "pässwörd-€\n"u8]);

        var lookup = await Resolver().ResolveAsync(new SecretKeyRef { Name = "okta", Key = "clientSecret" }, CancellationToken.None);

        lookup.Value.Should().Be("pässwörd-€");
    }

    [Fact]
    public async Task A_symlinked_key_leading_outside_the_folder_is_refused()
    {
        Directory.CreateDirectory(Path.Combine(Secrets, "okta"));
        File.CreateSymbolicLink(Path.Combine(Secrets, "okta", "clientSecret"), Path.Combine(_root, "token.txt"));

        var lookup = await Resolver().ResolveAsync(new SecretKeyRef { Name = "okta", Key = "clientSecret" }, CancellationToken.None);

        lookup.Value.Should().BeNull();
        lookup.Error.Should().Contain("leads outside --secrets-dir");
    }

    [Fact]
    public async Task A_symlinked_secret_folder_leading_outside_is_refused()
    {
        Directory.CreateSymbolicLink(Path.Combine(Secrets, "okta"), _root);

        var lookup = await Resolver().ResolveAsync(new SecretKeyRef { Name = "okta", Key = "token.txt" }, CancellationToken.None);

        lookup.Value.Should().BeNull();
        lookup.Error.Should().Contain("leads outside --secrets-dir").And.NotContain(Outside);
    }

    [Fact]
    public async Task A_symlink_loop_is_reported_as_a_loop()
    {
        Directory.CreateDirectory(Path.Combine(Secrets, "okta"));
        File.CreateSymbolicLink(Path.Combine(Secrets, "okta", "a"), Path.Combine(Secrets, "okta", "b"));
        File.CreateSymbolicLink(Path.Combine(Secrets, "okta", "b"), Path.Combine(Secrets, "okta", "a"));

        var lookup = await Resolver().ResolveAsync(new SecretKeyRef { Name = "okta", Key = "a" }, CancellationToken.None);

        lookup.Error.Should().Contain("symlink loop");
    }

    [Fact]
    public async Task A_mounted_Secret_layout_with_links_inside_the_folder_is_read()
    {
        // What the kubelet writes: key -> ..data/key, ..data -> ..2026_11_30_timestamp/
        var version = Path.Combine(Secrets, "okta", "..2026_11_30");
        Directory.CreateDirectory(version);
        File.WriteAllText(Path.Combine(version, "clientSecret"), "s3cret\n");
        Directory.CreateSymbolicLink(Path.Combine(Secrets, "okta", "..data"), "..2026_11_30");
        File.CreateSymbolicLink(Path.Combine(Secrets, "okta", "clientSecret"), "..data/clientSecret");

        var lookup = await Resolver().ResolveAsync(new SecretKeyRef { Name = "okta", Key = "clientSecret" }, CancellationToken.None);

        lookup.Value.Should().Be("s3cret");
    }

    [Fact]
    public async Task A_secrets_folder_that_is_itself_a_symlink_still_works()
    {
        Directory.CreateDirectory(Path.Combine(Secrets, "okta"));
        File.WriteAllText(Path.Combine(Secrets, "okta", "clientSecret"), "s3cret");
        var link = Path.Combine(_root, "linked-secrets");
        Directory.CreateSymbolicLink(link, Secrets);

        var lookup = await new CliSecretResolver(_ => null, link).ResolveAsync(new SecretKeyRef { Name = "okta", Key = "clientSecret" }, CancellationToken.None);

        lookup.Value.Should().Be("s3cret");
    }

    [Fact]
    public async Task A_file_given_as_the_secrets_folder_is_said_to_be_one_not_a_missing_path_under_it()
    {
        var lookup = await new CliSecretResolver(_ => null, Path.Combine(_root, "token.txt")).ResolveAsync(new SecretKeyRef { Name = "okta", Key = "clientSecret" }, CancellationToken.None);

        lookup.Value.Should().BeNull();
        lookup.Error.Should().Be($"secret okta/clientSecret not found: set RECONCILER_SECRET_OKTA_CLIENTSECRET, or give --secrets-dir a folder of <name>/<key> files ({Path.Combine(_root, "token.txt")} is a regular file)");
    }

    [Fact]
    public async Task A_folder_where_the_secret_file_should_be_is_said_to_be_one_not_missing()
    {
        Directory.CreateDirectory(Path.Combine(Secrets, "okta", "clientSecret"));

        var lookup = await Resolver().ResolveAsync(new SecretKeyRef { Name = "okta", Key = "clientSecret" }, CancellationToken.None);

        lookup.Value.Should().BeNull();
        lookup.Error.Should().Be($"secret okta/clientSecret: {Path.Combine(Secrets, "okta", "clientSecret")} is a folder, not a regular file; not read");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private CliSecretResolver Resolver() => new(_ => null, Secrets);
}
