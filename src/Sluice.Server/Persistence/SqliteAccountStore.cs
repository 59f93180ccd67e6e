using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Sluice.Server.Persistence;

/// <summary>
/// Accounts in an embedded SQLite file (WAL, synchronous FULL: an acknowledged write survives a
/// crash). The schema is versioned with <c>PRAGMA user_version</c> and migrated at start.
/// </summary>
public sealed class SqliteAccountStore : SqlAccountStore
{
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE aws_account (
            id TEXT PRIMARY KEY NOT NULL,
            region TEXT NOT NULL,
            access_key_id TEXT NULL,
            secret_access_key BLOB NULL,
            session_token BLOB NULL,
            host TEXT NULL,
            path_style INTEGER NOT NULL,
            use_ssl INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        """,
        """
        CREATE TABLE sluice_meta (
            name TEXT PRIMARY KEY NOT NULL,
            value BLOB NOT NULL
        );
        """,
        SqlTokenStore.CreateTableSql,
        Audit.SqlAuditStore.CreateTableSql(postgres: false),
        Resources.SqlResourceStore.CreateTableSql,
    ];

    private readonly string _connectionString;

    public SqliteAccountStore(string databasePath, SecretBox secrets, TimeProvider time)
        : base(secrets, time)
    {
        _connectionString = new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = true }.ToString();
        Migrate();
        CheckEncryptionKey();
    }

    /// <summary>The schema version this build migrates to.</summary>
    public static int SchemaVersion => Migrations.Length;

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);

        // A per-connection setting: an acknowledged write must survive a crash. (Busy waits need
        // no pragma: the provider retries a busy database until the command times out.)
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA synchronous = FULL;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    /// <summary>
    /// SQLite has no way to tell an upsert's insert from its update, so the row is looked up
    /// first inside a write (IMMEDIATE) transaction: a second writer waits for the first to
    /// commit and then finds the row.
    /// </summary>
    protected override async Task<bool> UpsertAsync(DbConnection connection, DbCommand upsert, string table, string upsertSql, CancellationToken cancellationToken)
    {
        await using var transaction = ((SqliteConnection)connection).BeginTransaction(deferred: false);
        await using var exists = connection.CreateCommand();
        exists.Transaction = transaction;
        exists.CommandText = $"SELECT 1 FROM {table} WHERE id = @id";
        exists.Parameters.Add(new SqliteParameter("@id", upsert.Parameters["@id"].Value));
        bool created = await exists.ExecuteScalarAsync(cancellationToken) is null;

        upsert.Transaction = transaction;
        upsert.CommandText = upsertSql;
        await upsert.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return created;
    }

    protected override object Timestamp(DateTimeOffset now) => now.ToString("O", CultureInfo.InvariantCulture);

    private void Migrate()
    {
        using var connection = (SqliteConnection)OpenAsync(CancellationToken.None).GetAwaiter().GetResult();
        Execute(connection, null, "PRAGMA journal_mode = WAL;");

        // IMMEDIATE: the write lock is taken before the version is read, so a second process
        // starting at the same time waits (the provider retries while the database is busy) and then finds the work done.
        using var transaction = connection.BeginTransaction(deferred: false);
        ApplyMigrations(connection, transaction, "SQLite", Migrations, "PRAGMA user_version", version => $"PRAGMA user_version = {version}");
        transaction.Commit();
    }
}
