namespace Reconciler.Platform;

/// <summary>
/// The platform's database could not be opened or brought to the current schema when the server started: a file that is
/// not a SQLite database, a folder, a folder that does not exist, a PostgreSQL server that cannot be reached or refuses
/// the login. Its message is one line for a person ("platform.db: cannot open the platform's database: file is not a
/// database (SQLite error 26)"); the provider's own exception is the inner one.
/// </summary>
public sealed class PlatformDatabaseException : Exception
{
    public PlatformDatabaseException()
        : this("the database", "unknown problem", null)
    {
    }

    public PlatformDatabaseException(string message)
        : base(message)
    {
        Database = "the database";
        Problem = message;
    }

    public PlatformDatabaseException(string message, Exception innerException)
        : base(message, innerException)
    {
        Database = "the database";
        Problem = message;
    }

    public PlatformDatabaseException(string database, string problem, Exception? innerException)
        : base($"{database}: cannot open the platform's database: {problem}", innerException)
    {
        Database = database;
        Problem = problem;
    }

    /// <summary>The database as the options named it: the SQLite path, or a PostgreSQL URL without its password.</summary>
    public string Database { get; }

    /// <summary>What is wrong, without the database's name: a caller that names the database its own way uses this.</summary>
    public string Problem { get; }
}
