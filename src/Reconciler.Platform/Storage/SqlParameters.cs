using System.Data.Common;
using System.Globalization;

namespace Reconciler.Platform.Storage;

/// <summary>
/// Named parameters bound by hand, for the queries that take a cancellation token or whose text is built at run time:
/// Dapper.AOT generates code only where the SQL is a string argument it reads at build time, and leaves calls through
/// <c>CommandDefinition</c> (the only Dapper spelling that carries a token) on Dapper's emitted IL, which Native AOT lacks.
/// </summary>
internal sealed class SqlParameters
{
    private readonly List<(string Name, object? Value)> _values = [];

    public SqlParameters Add(string name, object? value)
    {
        _values.Add((name, value));
        return this;
    }

    /// <summary>A command over <paramref name="sql"/> with these parameters bound as Dapper binds them (null as <see cref="DBNull"/>).</summary>
    public DbCommand CreateCommand(DbConnection connection, string sql, DbTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in _values)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    /// <summary>Every row, read by <paramref name="read"/> in column order.</summary>
    public static async Task<List<T>> ReadAllAsync<T>(DbCommand command, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    /// <summary>The first column of the first row as a number, zero when there is none (Dapper's <c>ExecuteScalar&lt;long&gt;</c>).</summary>
    public static async Task<long> ScalarAsync(DbCommand command, CancellationToken cancellationToken) =>
        await command.ExecuteScalarAsync(cancellationToken) is { } value and not DBNull ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : 0;
}
