using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;
using Sluice.Server.Persistence;

namespace Sluice.IntegrationTests.Persistence;

/// <summary>
/// One database engine of the store suite: makes empty databases (named as a
/// <c>Sluice:Database</c> value), shows what they hold as stored, and throws them all away at
/// the end. One instance serves one test class, with <see cref="Shared"/> as its database.
/// </summary>
public abstract class StoreEngine : IAsyncLifetime
{
    /// <summary>The test class's own database, created when the class starts.</summary>
    public string Shared { get; private set; } = null!;

    /// <summary>A data directory for the stores (the encryption key is always configured, so nothing lands there).</summary>
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "sluice-store-" + Guid.NewGuid().ToString("N"));

    /// <summary>The encryption key of every store the test class opens (a database keeps the key it was first opened with).</summary>
    public byte[] Key { get; } = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);

    public abstract int LatestSchemaVersion { get; }

    /// <summary>A new, empty database, as a <c>Sluice:Database</c> value.</summary>
    public abstract Task<string> CreateDatabaseAsync();

    /// <summary>Everything the database holds as stored: file bytes, or every row as PostgreSQL prints it.</summary>
    public abstract Task<byte[]> RawAsync(string database);

    /// <summary>The schema version the database records (for PostgreSQL: how many migrations are recorded, -1 unless they are 1..n once each).</summary>
    public abstract Task<int> SchemaVersionAsync(string database);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(DataDirectory);
        Shared = await CreateDatabaseAsync();
    }

    public virtual Task DisposeAsync()
    {
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }

        return Task.CompletedTask;
    }
}

public sealed class SqliteEngine : StoreEngine
{
    public override int LatestSchemaVersion => SqliteAccountStore.SchemaVersion;

    public override Task<string> CreateDatabaseAsync() =>
        Task.FromResult("sqlite:" + Path.Combine(DataDirectory, Guid.NewGuid().ToString("N"), "accounts.db"));

    public override async Task<byte[]> RawAsync(string database)
    {
        string path = database["sqlite:".Length..];
        var bytes = new List<byte>();
        foreach (string file in new[] { path, path + "-wal", path + "-journal" }.Where(File.Exists))
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            bytes.AddRange(copy.ToArray());
        }

        return bytes.ToArray();
    }

    public override async Task<int> SchemaVersionAsync(string database)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database["sqlite:".Length..], Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version";
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public override Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        return base.DisposeAsync();
    }
}

public sealed class PostgresEngine : StoreEngine
{
    private readonly List<string> _databases = [];

    public override int LatestSchemaVersion => PostgresAccountStore.SchemaVersion;

    public override async Task<string> CreateDatabaseAsync()
    {
        string database = await TestPostgres.CreateDatabaseAsync();
        lock (_databases)
        {
            _databases.Add(database);
        }

        return database;
    }

    public override async Task<byte[]> RawAsync(string database)
    {
        var text = new StringBuilder();
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        foreach (string table in new[] { "aws_account", "sluice_meta" })
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT t::text FROM {table} t";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                text.AppendLine(reader.GetString(0));
            }
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    public override async Task<int> SchemaVersionAsync(string database) =>
        (int)await TestPostgres.ScalarAsync<long>(database, "SELECT CASE WHEN count(*) = max(version) THEN count(*) ELSE -1 END FROM sluice_schema_version");

    public override async Task DisposeAsync()
    {
        foreach (string database in _databases)
        {
            await TestPostgres.DropDatabaseAsync(database);
        }

        await base.DisposeAsync();
    }
}
