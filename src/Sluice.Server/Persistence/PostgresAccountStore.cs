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

        // Every row change bumps one counter and announces itself, in the same transaction, so each
        // instance's cache hears of it at commit (LISTEN) and a missed announcement shows as a
        // counter ahead of what the instance has applied. The counter's row lock orders the
        // writers: versions are consecutive in commit order.
        $$"""
        CREATE TABLE sluice_change (
            id integer PRIMARY KEY NOT NULL CHECK (id = 1),
            version bigint NOT NULL
        );
        INSERT INTO sluice_change (id, version) VALUES (1, 0);
        CREATE FUNCTION sluice_announce_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
        DECLARE
            changed bigint;
        BEGIN
            UPDATE sluice_change SET version = version + 1 WHERE id = 1 RETURNING version INTO changed;
            PERFORM pg_notify('{{ChangeChannel}}', changed || ' ' || TG_TABLE_NAME || ' ' || (CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END));
            RETURN NULL;
        END
        $fn$;
        CREATE TRIGGER aws_account_change AFTER INSERT OR UPDATE OR DELETE ON aws_account
            FOR EACH ROW EXECUTE FUNCTION sluice_announce_change();
        CREATE TRIGGER access_token_change AFTER INSERT OR UPDATE OR DELETE ON access_token
            FOR EACH ROW EXECUTE FUNCTION sluice_announce_change();
        """,
        Audit.SqlAuditStore.CreateTableSql(postgres: true),
        Resources.SqlResourceStore.CreateTableSql.Replace("BLOB", "bytea", StringComparison.Ordinal) + """
            CREATE TRIGGER cloud_resource_change AFTER INSERT OR UPDATE OR DELETE ON cloud_resource
                FOR EACH ROW EXECUTE FUNCTION sluice_announce_change();
            """,
    ];

    /// <summary>The channel every row change of <c>aws_account</c>, <c>access_token</c> and <c>cloud_resource</c> is announced on: "version table id".</summary>
    public const string ChangeChannel = "sluice_change";

    /// <summary>
    /// The channel each instance's listener confirms on, "backend-id version", once it has applied
    /// every change up to that version (and once a second regardless), so that a writer can wait
    /// until the others have its change too.
    /// </summary>
    public const string AppliedChannel = "sluice_applied";

    /// <summary>Reads the change counter.</summary>
    public const string ChangeVersionSql = "SELECT version FROM sluice_change WHERE id = 1";

    /// <summary>The <c>application_name</c> of each instance's listening connection (operators and tests find it in <c>pg_stat_activity</c>).</summary>
    public const string ListenerApplicationName = "sluice change listener";

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _listenerConnectionString;
    private readonly string _connectionString;

    public PostgresAccountStore(string connectionString, SecretBox secrets, TimeProvider time)
        : base(secrets, time)
    {
        _dataSource = NpgsqlDataSource.Create(connectionString);
        _connectionString = connectionString;
        _listenerConnectionString = new NpgsqlConnectionStringBuilder(connectionString)
        {
            ApplicationName = ListenerApplicationName,
            Pooling = false,

            // A peer that vanished without a word (no RST) shows up within seconds, not at the next query.
            KeepAlive = 5,
        }.ConnectionString;
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

    /// <summary>
    /// The change counter (the version of the last row change committed) and the backend ids of
    /// every instance's listening connection on this database, read in one statement: a listener
    /// that connects later reads a counter at least as high when it loads its copy.
    /// </summary>
    public async Task<(long Version, int[] Listeners)> ChangeVersionAndListenersAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("""
            SELECT version, ARRAY(SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database())
            FROM sluice_change WHERE id = 1
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = ListenerApplicationName });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetFieldValue<int[]>(1));
    }

    /// <summary>A connection of its own, outside the pool, for LISTEN: the caller opens and disposes it.</summary>
    public NpgsqlConnection CreateListenerConnection() => new(_listenerConnectionString);

    /// <summary>
    /// A small pool of its own for one background writer, named <paramref name="applicationName"/>
    /// in <c>pg_stat_activity</c>. Its connections are not reset between uses (the writer sets no
    /// session state), which saves a round trip and a transaction each time.
    /// </summary>
    public NpgsqlDataSource CreateWriterDataSource(string applicationName) =>
        NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(_connectionString)
        {
            ApplicationName = applicationName,
            NoResetOnClose = true,
            MaxPoolSize = 2,
        }.ConnectionString);

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    /// <summary>
    /// One statement: <c>xmax</c> is 0 on a row this statement inserted and the updating
    /// transaction's id on one it updated, so concurrent puts of one new id report exactly one
    /// creation (the others wait on the row lock and then update).
    /// </summary>
    protected override async Task<bool> UpsertAsync(DbConnection connection, DbCommand upsert, string table, string upsertSql, CancellationToken cancellationToken)
    {
        upsert.CommandText = upsertSql + " RETURNING (xmax = 0)";
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
