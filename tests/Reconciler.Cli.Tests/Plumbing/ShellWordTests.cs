using System.Diagnostics;
using CsCheck;
using Reconciler.Cli.Plumbing;

namespace Reconciler.Cli.Tests.Plumbing;

public sealed class ShellWordTests
{
    [Theory]
    [InlineData("org.plan", "org.plan")]
    [InlineData("plans/2026-12-05_org+eu@v1,final=ok:100%.plan", "plans/2026-12-05_org+eu@v1,final=ok:100%.plan")]
    [InlineData("https://admin.example.com:8443/", "https://admin.example.com:8443/")]
    [InlineData("org plan", "'org plan'")]
    [InlineData("it's.plan", @"'it'\''s.plan'")]
    [InlineData("$(touch pwned)", "'$(touch pwned)'")]
    [InlineData("~ana/org.plan", "'~ana/org.plan'")]
    [InlineData("", "''")]
    [InlineData("=ls.plan", "'=ls.plan'")]
    public void A_word_is_left_as_it_is_when_a_shell_reads_it_so_and_single_quoted_otherwise(string word, string quoted) =>
        ShellWord.Quote(word).Should().Be(quoted);

    [Theory]
    [InlineData("-out.plan", "./-out.plan")]
    [InlineData("--help", "./--help")]
    [InlineData("-it's", @"'./-it'\''s'")]
    [InlineData("org.plan", "org.plan")]
    public void A_file_that_starts_with_a_dash_is_named_so_that_it_is_not_read_as_an_option(string path, string shown) =>
        ShellWord.File(path).Should().Be(shown);

    [Fact]
    public void Every_word_a_shell_reads_back_is_the_word_quoted()
    {
        if (OperatingSystem.IsWindows())
            return; // POSIX sh.
        Gen.Char[" \t\n'\"\\$`;&|<>()[]{}*?~#!=%,:@+-./_aZ9é"].Array[0, 12].Select(chars => new string(chars)).List[1, 30]
            .Sample(words => ReadBack(words).Should().Equal(words), iter: 40);
    }

    /// <summary>What /bin/sh passes printf for each quoted word.</summary>
    private static List<string> ReadBack(List<string> words)
    {
        var info = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("printf '%s\\0' " + string.Join(' ', words.Select(ShellWord.Quote)));
        using var shell = Process.Start(info)!;
        var output = shell.StandardOutput.ReadToEnd();
        shell.WaitForExit();
        return [.. output.Split('\0')[..^1]];
    }
}
