namespace Reconciler.Cli.Tests;

/// <summary>
/// A command on the embedded platform whose database under .reconciler/ cannot be used says so in one line and exits 1,
/// as a real process: it once died of an unhandled SqliteException, a stack trace and exit 134.
/// </summary>
public sealed class EmbeddedDatabaseProcessTests : IDisposable
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);
    private readonly string _directory = Directory.CreateTempSubdirectory("reconciler-embedded-db-").FullName;

    [Fact]
    public async Task Plan_on_a_database_file_that_is_not_a_database_says_so_in_one_line_and_leaves_the_file_as_it_was()
    {
        var state = Directory.CreateDirectory(Path.Combine(_directory, ".reconciler")).FullName;
        var database = Path.Combine(state, "platform.db");
        await File.WriteAllTextAsync(database, "not a db\n");

        var (exitCode, output) = await CliProcess.RunAsync(_directory, RunTimeout, "plan", "-f", Path.Combine(TestRepository.Root, "examples", "acme-support"));

        exitCode.Should().Be(1, output);
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("error:", StringComparison.Ordinal)).Should().Equal(
            [$"error: {Path.Combine(".reconciler", "platform.db")}: cannot open the platform's database: file is not a database (SQLite error 26)"], output);
        output.Should().NotContain("Exception").And.NotContain("   at ");
        (await File.ReadAllTextAsync(database)).Should().Be("not a db\n", "a database that cannot be opened is not written to");
        Directory.GetFileSystemEntries(state).Should().Equal([database], "nothing is created beside it (no -wal or -shm file)");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A stale temp directory is harmless.
        }
    }
}
