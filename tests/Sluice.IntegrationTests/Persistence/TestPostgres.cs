using Npgsql;

namespace Sluice.IntegrationTests.Persistence;

/// <summary>
/// The PostgreSQL server of the integration tests: <c>./scripts/test.sh</c> starts a throwaway
/// cluster on 127.0.0.1 and names a superuser connection in <c>SLUICE_TEST_POSTGRES</c>.
/// Tests create fresh databases through it and drop them afterwards. Without the variable
/// the tests fail: a missing server is a broken test run, never a skipped test.
/// </summary>
public static class TestPostgres
{
    public const string Variable = "SLUICE_TEST_POSTGRES";

    public static string AdminConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{Variable} is not set. Run ./scripts/test.sh (it starts PostgreSQL), or set {Variable} to a connection string of a "
                + "user who may create databases, e.g. Host=127.0.0.1;Port=5432;Username=postgres;Database=postgres.");

    /// <summary>A new, empty database; returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        string name = "sluice_t_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var create = connection.CreateCommand();
            create.CommandText = $"CREATE DATABASE \"{name}\"";
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/>, disconnecting whoever is still on it.</summary>
    public static async Task DropDatabaseAsync(string connectionString)
    {
        string name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var drop = connection.CreateCommand();
        drop.CommandText = $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)";
        await drop.ExecuteNonQueryAsync();
    }

    public static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
