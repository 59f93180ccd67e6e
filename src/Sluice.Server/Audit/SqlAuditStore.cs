using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text;
using Sluice.Server.Persistence;

namespace Sluice.Server.Audit;

/// <summary>
/// Audit records in the <c>audit_event</c> table of the accounts' database. Times are stored as
/// microseconds since the Unix epoch (nothing to format on the way in, and they compare as
/// numbers), so the same SQL queries SQLite and PostgreSQL; each engine appends a batch its
/// fastest way, in one transaction.
/// </summary>
public abstract class SqlAuditStore(SqlAccountStore database) : IAuditStore
{

    private static readonly string[] Columns =
    [
        "time", "action", "outcome", "status", "identity_kind", "identity_id", "identity_name", "client_address", "request_id",
        "http_method", "path", "account", "bucket", "object_key", "key_count", "method", "expires_at", "target", "reason",
    ];

    /// <summary>Each column's type, null or not (PostgreSQL will not take a text NULL into an integer column).</summary>
    private static readonly DbType[] Types = Columns
        .Select(c => c switch { "status" or "key_count" => DbType.Int32, "time" or "expires_at" => DbType.Int64, _ => DbType.String })
        .ToArray();

    private static readonly string SelectColumns = "id, " + string.Join(", ", Columns);

    /// <summary>
    /// The table (a migration of both engines). Rows are appended in time order, so PostgreSQL's
    /// time index is a BRIN (a few pages, next to nothing per insert); SQLite's id is its rowid
    /// (AUTOINCREMENT would cost a second write per row: 25% more CPU, measured).
    /// </summary>
    public static string CreateTableSql(bool postgres) => $"""
        CREATE TABLE audit_event (
            id {(postgres ? "bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY" : "INTEGER PRIMARY KEY")},
            time BIGINT NOT NULL,
            action TEXT NOT NULL,
            outcome TEXT NOT NULL,
            status INTEGER NOT NULL,
            identity_kind TEXT NOT NULL,
            identity_id TEXT NULL,
            identity_name TEXT NULL,
            client_address TEXT NULL,
            request_id TEXT NOT NULL,
            http_method TEXT NOT NULL,
            path TEXT NOT NULL,
            account TEXT NULL,
            bucket TEXT NULL,
            object_key TEXT NULL,
            key_count INTEGER NULL,
            method TEXT NULL,
            expires_at BIGINT NULL,
            target TEXT NULL,
            reason TEXT NULL
        );
        CREATE INDEX audit_event_time ON audit_event {(postgres ? "USING brin (time)" : "(time)")};
        """;

    /// <summary>A time as stored: microseconds since the Unix epoch.</summary>
    public static long Microseconds(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    public static DateTimeOffset FromMicroseconds(long microseconds) => DateTimeOffset.UnixEpoch.AddTicks(microseconds * 10);

    /// <summary>The store for the accounts' database: SQLite or PostgreSQL.</summary>
    public static SqlAuditStore For(SqlAccountStore database) =>
        database is PostgresAccountStore postgres ? new PostgresAuditStore(postgres) : new SqliteAuditStore(database);

    public abstract Task AppendAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken);

    /// <summary>The accounts' database, for the engine's own append.</summary>
    protected SqlAccountStore Database => database;

    public async Task<IReadOnlyList<AuditRecord>> QueryAsync(AuditFilter filter, long after, int limit, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await database.OpenConnectionAsync(cancellationToken);
        await using DbCommand query = connection.CreateCommand();
        var where = new StringBuilder("id > @after");
        SqlAccountStore.AddParameter(query, "@after", after, DbType.Int64);
        void Match(string condition, string name, object? value, DbType type)
        {
            if (value is null)
            {
                return;
            }

            where.Append(" AND ").Append(condition);
            SqlAccountStore.AddParameter(query, name, value, type);
        }

        Match("time >= @since", "@since", filter.Since is { } since ? Microseconds(since) : null, DbType.Int64);
        Match("time < @until", "@until", filter.Until is { } until ? Microseconds(until) : null, DbType.Int64);
        Match("(identity_id = @identity OR identity_name = @identity)", "@identity", filter.Identity, DbType.String);
        Match("account = @account", "@account", filter.Account, DbType.String);
        Match("bucket = @bucket", "@bucket", filter.Bucket, DbType.String);
        // Not LIKE: SQLite's is case-insensitive and both would need '%' and '_' escaped.
        Match("substr(object_key, 1, length(@prefix)) = @prefix", "@prefix", filter.Prefix, DbType.String);
        Match("method = @method", "@method", filter.Method, DbType.String);
        Match("outcome = @outcome", "@outcome", filter.Outcome, DbType.String);
        Match("action = @action", "@action", filter.Action, DbType.String);
        query.CommandText = $"SELECT {SelectColumns} FROM audit_event WHERE {where} ORDER BY id LIMIT @limit";
        SqlAccountStore.AddParameter(query, "@limit", limit, DbType.Int32);

        var records = new List<AuditRecord>();
        await using DbDataReader reader = await query.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(Read(reader));
        }

        return records;
    }

    public async Task<int> DeleteBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await database.OpenConnectionAsync(cancellationToken);
        await using DbCommand delete = connection.CreateCommand();
        delete.CommandText = "DELETE FROM audit_event WHERE time < @cutoff";
        SqlAccountStore.AddParameter(delete, "@cutoff", Microseconds(cutoff), DbType.Int64);
        return await delete.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The columns written, in <see cref="ColumnNames"/>' order.</summary>
    protected static string ColumnList => string.Join(", ", Columns);

    protected static IReadOnlyList<string> ColumnNames => Columns;

    protected static IReadOnlyList<DbType> ColumnTypes => Types;

    /// <summary>A record's values, in <see cref="ColumnNames"/>' order.</summary>
    protected static object?[] Values(AuditRecord record) =>
    [
        Microseconds(record.Time), record.Action, record.Outcome, record.Status, record.IdentityKind, record.Identity, record.IdentityName,
        record.ClientAddress, record.RequestId, record.HttpMethod, record.Path, record.Account, record.Bucket, record.Key, record.KeyCount,
        record.Method, record.ExpiresAt is { } expires ? Microseconds(expires) : null, record.Target, record.Reason,
    ];

    private static AuditRecord Read(DbDataReader reader)
    {
        string? Optional(int column) => reader.IsDBNull(column) ? null : reader.GetString(column);
        return new AuditRecord
        {
            Id = reader.GetInt64(0),
            Time = FromMicroseconds(reader.GetInt64(1)),
            Action = reader.GetString(2),
            Outcome = reader.GetString(3),
            Status = reader.GetInt32(4),
            IdentityKind = reader.GetString(5),
            Identity = Optional(6),
            IdentityName = Optional(7),
            ClientAddress = Optional(8),
            RequestId = reader.GetString(9),
            HttpMethod = reader.GetString(10),
            Path = reader.GetString(11),
            Account = Optional(12),
            Bucket = Optional(13),
            Key = Optional(14),
            KeyCount = reader.IsDBNull(15) ? null : reader.GetInt32(15),
            Method = Optional(16),
            ExpiresAt = reader.IsDBNull(17) ? null : FromMicroseconds(reader.GetInt64(17)),
            Target = Optional(18),
            Reason = Optional(19),
        };
    }
}
