using Reconciler.Platform.Storage;

namespace Reconciler.Platform.Tests.Storage;

/// <summary>
/// A database the server cannot use fails its start with a <see cref="PlatformDatabaseException"/> saying why in one line,
/// and nothing is written or created: no folder, no change to a file that is not a database.
/// </summary>
public sealed class DatabaseUnusableTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("reconciler-database-unusable-").FullName;

    [Fact]
    public async Task A_file_that_is_not_a_database_is_refused_and_left_as_it_was()
    {
        var path = Path.Combine(_directory, "platform.db");
        await File.WriteAllTextAsync(path, "not a db\n");

        var start = () => PlatformServer.StartAsync(new PlatformServerOptions { Database = new DatabaseOptions { ConnectionString = path } });

        var refused = await start.Should().ThrowAsync<PlatformDatabaseException>();
        refused.Which.Message.Should().Be($"{path}: cannot open the platform's database: file is not a database (SQLite error 26)");
        (await File.ReadAllTextAsync(path)).Should().Be("not a db\n");
        Directory.GetFileSystemEntries(_directory).Should().Equal([path]);
    }

    [Fact]
    public async Task A_file_in_a_folder_that_does_not_exist_is_refused_without_creating_the_folder()
    {
        var missing = Path.Combine(_directory, "missing");

        var start = () => PlatformServer.StartAsync(new PlatformServerOptions { Database = new DatabaseOptions { ConnectionString = Path.Combine(missing, "x.db") } });

        (await start.Should().ThrowAsync<PlatformDatabaseException>()).Which.Problem.Should().StartWith($"the folder {missing} does not exist");
        Directory.Exists(missing).Should().BeFalse();
    }

    [Fact]
    public async Task A_PostgreSQL_database_is_named_by_its_user_host_port_and_database_never_its_password()
    {
        await using var database = new Database(DatabaseOptions.Parse("Host=db.example;Port=5433;Username=app;Password=never-shown-0123;Database=platform"));

        database.Name.Should().Be("postgres://app@db.example:5433/platform");
    }

    [Theory]
    [InlineData("postgres://app:never-shown-0123@[db.example")]
    [InlineData("postgres://app:never-shown-0123@db.example:port/platform")]
    [InlineData("postgresql://")]
    public void A_PostgreSQL_URL_that_is_not_one_is_refused_without_repeating_it(string url)
    {
        var parse = () => DatabaseOptions.Parse(url);

        parse.Should().Throw<PlatformDatabaseException>().Which.Message.Should()
            .Be("the PostgreSQL URL: cannot open the platform's database: it is not a URL of the form postgres://user:password@host:port/database");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
