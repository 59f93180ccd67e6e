using System.Data.Common;
using System.Globalization;
using Npgsql;

namespace Sluice.Server.Persistence;

/// <summary>
/// Accounts in PostgreSQL, for several Sluice instances behind one load balancer. Every call
/// goes to the database (no per-instance cache), so each instance sees the others' writes and
/// deletes at once. Schema migrations run at start in one transaction that holds a
/// transaction-level advisory lock: instances starting together migrate one after the other,
/// and the later ones find the work done. Applied versions are rows of
/// <c>sluice_schema_version</c>.
/// </summary>
public sealed class PostgresAccountStore : SqlAccountStore, IDisposable, IAsyncDisposable
{
    /// <summary>The advisory lock key that serializes migrations ("sluice" in ASCII).</summary>
    public const long MigrationLockKey = 0x736C75696365;

    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE aws_account (
            id text PRIMARY KEY NOT NULL,
            region text NOT NULL,
            access_key_id text NULL,
            secret_access_key bytea NULL,
            session_token bytea NULL,
            host text NULL,
            path_style boolean NOT NULL,
            use_ssl boolean NOT NULL,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL
        );
        CREATE TABLE sluice_meta (
            name text PRIMARY KEY NOT NULL,
            value bytea NOT NULL
        );
        """,
        SqlTokenStore.CreateTableSql.Replace("BLOB", "bytea", StringComparison.Ordinal),
    ];

    private readonly NpgsqlDataSource _dataSource;

    public PostgresAccountStore(string connectionString, SecretBox secrets, TimeProvider time)
        : base(secrets, time)
    {
        _dataSource = NpgsqlDataSource.Create(connectionString);
        try
        {
            Migrate();
            CheckEncryptionKey();
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException)
        {
            _dataSource.Dispose();
            throw DatabaseSetting.PostgresFailure(connectionString, e);
        }
        catch
        {
            _dataSource.Dispose();
            throw;
        }
    }

    /// <summary>The schema version this build migrates to.</summary>
    public static int SchemaVersion => Migrations.Length;

    public void Dispose() => _dataSource.Dispose();

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    /// <summary>
    /// One statement: <c>xmax</c> is 0 on a row this statement inserted and the updating
    /// transaction's id on one it updated, so concurrent puts of one new id report exactly one
    /// creation (the others wait on the row lock and then update).
    /// </summary>
    protected override async Task<bool> UpsertAsync(DbConnection connection, DbCommand upsert, CancellationToken cancellationToken)
    {
        upsert.CommandText = UpsertSql + " RETURNING (xmax = 0)";
        return await upsert.ExecuteScalarAsync(cancellationToken) is true;
    }

    protected override object Timestamp(DateTimeOffset now) => now.ToUniversalTime();

    private void Migrate()
    {
        using var connection = _dataSource.OpenConnection();
        using var transaction = connection.BeginTransaction();
        Execute(connection, transaction, string.Create(CultureInfo.InvariantCulture, $"SELECT pg_advisory_xact_lock({MigrationLockKey})"));
        Execute(connection, transaction, """
            CREATE TABLE IF NOT EXISTS sluice_schema_version (
                version integer PRIMARY KEY NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """);
        ApplyMigrations(
            connection,
            transaction,
            "PostgreSQL",
            Migrations,
            "SELECT coalesce(max(version), 0) FROM sluice_schema_version",
            version => string.Create(CultureInfo.InvariantCulture, $"INSERT INTO sluice_schema_version (version) VALUES ({version})"));
        transaction.Commit();
    }
}
