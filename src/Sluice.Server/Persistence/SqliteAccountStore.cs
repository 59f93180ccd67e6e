using System.Data.Common;
using Microsoft.Data.Sqlite;
using Sluice.Core.Accounts;
using Sluice.Core.Addressing;

namespace Sluice.Server.Persistence;

/// <summary>
/// Accounts in an embedded SQLite file (WAL, synchronous FULL: an acknowledged write survives a
/// crash). The schema is versioned with <c>PRAGMA user_version</c> and migrated at start.
/// </summary>
public sealed class SqliteAccountStore : IAccountStore
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
    ];

    private const string KeyCheckName = "encryption-key-check";

    private const string Columns = "id, region, access_key_id, secret_access_key, session_token, host, path_style, use_ssl";

    private readonly string _connectionString;
    private readonly SecretBox _secrets;
    private readonly TimeProvider _time;

    public SqliteAccountStore(string databasePath, SecretBox secrets, TimeProvider time)
    {
        _connectionString = new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = true }.ToString();
        _secrets = secrets;
        _time = time;
        Migrate();
        CheckEncryptionKey();
    }

    public async Task<AwsAccount?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM aws_account WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Materialize(reader) : null;
    }

    public async Task<IReadOnlyList<AwsAccount>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM aws_account ORDER BY id";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var accounts = new List<AwsAccount>();
        while (await reader.ReadAsync(cancellationToken))
        {
            accounts.Add(Materialize(reader));
        }

        return accounts;
    }

    public async Task<bool> PutAsync(AwsAccount account, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var exists = connection.CreateCommand();
        exists.Transaction = transaction;
        exists.CommandText = "SELECT 1 FROM aws_account WHERE id = $id";
        exists.Parameters.AddWithValue("$id", account.Id);
        bool created = await exists.ExecuteScalarAsync(cancellationToken) is null;

        await using var upsert = connection.CreateCommand();
        upsert.Transaction = transaction;
        upsert.CommandText = """
            INSERT INTO aws_account (id, region, access_key_id, secret_access_key, session_token, host, path_style, use_ssl, created_at, updated_at)
            VALUES ($id, $region, $ak, $secret, $token, $host, $pathStyle, $useSsl, $now, $now)
            ON CONFLICT (id) DO UPDATE SET region = $region, access_key_id = $ak, secret_access_key = $secret,
                session_token = $token, host = $host, path_style = $pathStyle, use_ssl = $useSsl, updated_at = $now
            """;
        upsert.Parameters.AddWithValue("$id", account.Id);
        upsert.Parameters.AddWithValue("$region", account.Region);
        upsert.Parameters.AddWithValue("$ak", (object?)account.AccessKeyId ?? DBNull.Value);
        upsert.Parameters.AddWithValue("$secret", Seal(account.SecretAccessKey, account.Id, "secret-access-key"));
        upsert.Parameters.AddWithValue("$token", Seal(account.SessionToken, account.Id, "session-token"));
        upsert.Parameters.AddWithValue("$host", (object?)account.Host?.ToString() ?? DBNull.Value);
        upsert.Parameters.AddWithValue("$pathStyle", account.PathStyle);
        upsert.Parameters.AddWithValue("$useSsl", account.UseSsl);
        upsert.Parameters.AddWithValue("$now", _time.GetUtcNow().ToString("O"));
        await upsert.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return created;
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM aws_account WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    private AwsAccount Materialize(DbDataReader row)
    {
        string id = row.GetString(0);
        EndpointHost? host = null;
        if (!row.IsDBNull(5) && EndpointHost.TryParse(row.GetString(5), out var parsed, out _))
        {
            host = parsed;
        }

        return new AwsAccount(
            id,
            row.GetString(1),
            row.IsDBNull(2) ? null : row.GetString(2),
            Open(row, 3, id, "secret-access-key"),
            Open(row, 4, id, "session-token"),
            host,
            row.GetBoolean(6),
            row.GetBoolean(7));
    }

    private object Seal(string? secret, string id, string field) =>
        secret is null ? DBNull.Value : _secrets.Seal(secret, Context(id, field));

    private string? Open(DbDataReader row, int ordinal, string id, string field) =>
        row.IsDBNull(ordinal) ? null : _secrets.Open((byte[])row.GetValue(ordinal), Context(id, field));

    private static string Context(string id, string field) => $"aws-account/{id}/{field}";

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA busy_timeout = 5000; PRAGMA synchronous = FULL;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    /// <summary>
    /// Refuses to start with a key other than the one the stored secrets were written with:
    /// otherwise every read fails later, and new writes would mix two keys in one database.
    /// </summary>
    private void CheckEncryptionKey()
    {
        using var connection = OpenAsync(CancellationToken.None).GetAwaiter().GetResult();
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT value FROM sluice_meta WHERE name = $name";
        read.Parameters.AddWithValue("$name", KeyCheckName);
        if (read.ExecuteScalar() is byte[] sealedCheck)
        {
            try
            {
                _secrets.Open(sealedCheck, KeyCheckName);
                return;
            }
            catch (System.Security.Cryptography.CryptographicException e)
            {
                throw new InvalidOperationException(
                    "The encryption key (SLUICE_ENCRYPTION_KEY or encryption.key in the data directory) is not the one this database's secrets were written with.", e);
            }
        }

        using var write = connection.CreateCommand();
        write.CommandText = "INSERT OR IGNORE INTO sluice_meta (name, value) VALUES ($name, $value)";
        write.Parameters.AddWithValue("$name", KeyCheckName);
        write.Parameters.AddWithValue("$value", _secrets.Seal("sluice", KeyCheckName));
        write.ExecuteNonQuery();
    }

    private void Migrate()
    {
        using var connection = OpenAsync(CancellationToken.None).GetAwaiter().GetResult();
        using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            wal.ExecuteNonQuery();
        }

        using var transaction = connection.BeginTransaction(deferred: false);
        using var version = connection.CreateCommand();
        version.Transaction = transaction;
        version.CommandText = "PRAGMA user_version";
        int current = Convert.ToInt32(version.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        for (int i = current; i < Migrations.Length; i++)
        {
            using var migrate = connection.CreateCommand();
            migrate.Transaction = transaction;
            migrate.CommandText = Migrations[i] + $"; PRAGMA user_version = {i + 1};";
            migrate.ExecuteNonQuery();
        }

        transaction.Commit();
    }
}
