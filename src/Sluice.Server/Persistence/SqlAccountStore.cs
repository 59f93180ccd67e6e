using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using Sluice.Core.Accounts;
using Sluice.Core.Addressing;
using Sluice.Server.Hosting;

namespace Sluice.Server.Persistence;

/// <summary>
/// What the SQL engines share: the <c>aws_account</c> and <c>sluice_meta</c> tables, the
/// queries (written in the SQL that SQLite and PostgreSQL both accept, with <c>@name</c>
/// parameters), row mapping, the sealing of secrets and the encryption-key check. An engine
/// supplies connections, its schema migrations and how an upsert reports a creation.
/// Nothing is cached: every call reads or writes the database.
/// </summary>
public abstract class SqlAccountStore : IAccountStore
{
    private const string KeyCheckName = "encryption-key-check";

    private const string Columns = "id, region, access_key_id, secret_access_key, session_token, host, path_style, use_ssl";

    /// <summary>Inserts or replaces one row; <c>created_at</c> is kept on a replace.</summary>
    protected const string UpsertSql = """
        INSERT INTO aws_account (id, region, access_key_id, secret_access_key, session_token, host, path_style, use_ssl, created_at, updated_at)
        VALUES (@id, @region, @ak, @secret, @token, @host, @pathStyle, @useSsl, @now, @now)
        ON CONFLICT (id) DO UPDATE SET region = excluded.region, access_key_id = excluded.access_key_id,
            secret_access_key = excluded.secret_access_key, session_token = excluded.session_token, host = excluded.host,
            path_style = excluded.path_style, use_ssl = excluded.use_ssl, updated_at = excluded.updated_at
        """;

    private readonly SecretBox _secrets;
    private readonly TimeProvider _time;

    protected SqlAccountStore(SecretBox secrets, TimeProvider time)
    {
        _secrets = secrets;
        _time = time;
    }

    public async Task<AwsAccount?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM aws_account WHERE id = @id";
        AddParameter(command, "@id", id, DbType.String);
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
        await using var upsert = connection.CreateCommand();
        AddParameter(upsert, "@id", account.Id, DbType.String);
        AddParameter(upsert, "@region", account.Region, DbType.String);
        AddParameter(upsert, "@ak", account.AccessKeyId, DbType.String);
        AddParameter(upsert, "@secret", Seal(account.SecretAccessKey, account.Id, "secret-access-key"), DbType.Binary);
        AddParameter(upsert, "@token", Seal(account.SessionToken, account.Id, "session-token"), DbType.Binary);
        AddParameter(upsert, "@host", account.Host?.ToString(), DbType.String);
        AddParameter(upsert, "@pathStyle", account.PathStyle, DbType.Boolean);
        AddParameter(upsert, "@useSsl", account.UseSsl, DbType.Boolean);
        AddParameter(upsert, "@now", Timestamp(_time.GetUtcNow()), null);
        return await UpsertAsync(connection, upsert, "aws_account", UpsertSql, cancellationToken);
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM aws_account WHERE id = @id";
        AddParameter(command, "@id", id, DbType.String);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>An open connection, set up for this engine; the caller disposes it.</summary>
    protected abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>A connection to the same database, for the other tables kept there (access tokens).</summary>
    internal Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) => OpenAsync(cancellationToken);

    /// <summary>
    /// Runs <paramref name="upsertSql"/> on <paramref name="table"/> with the parameters set on
    /// <paramref name="upsert"/> (an <c>@id</c> among them; the engine writes the command's text)
    /// and says whether the row was created, in a way that holds when several writers put the same
    /// new id at once.
    /// </summary>
    protected abstract Task<bool> UpsertAsync(DbConnection connection, DbCommand upsert, string table, string upsertSql, CancellationToken cancellationToken);

    /// <summary><see cref="UpsertAsync"/> for the other tables kept here (cloud resources).</summary>
    internal Task<bool> UpsertRowAsync(DbConnection connection, DbCommand upsert, string table, string upsertSql, CancellationToken cancellationToken) =>
        UpsertAsync(connection, upsert, table, upsertSql, cancellationToken);

    /// <summary>Now, as the other tables kept here store times: ISO-8601 text.</summary>
    internal string NowText() => _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);

    /// <summary>Encrypts a secret for another table, bound to <paramref name="context"/> (a row's type, id and field).</summary>
    internal byte[] SealSecret(string secret, string context) => _secrets.Seal(secret, context);

    internal string OpenSecret(byte[] sealedSecret, string context) => _secrets.Open(sealedSecret, context);

    /// <summary>The value stored in <c>created_at</c> and <c>updated_at</c>.</summary>
    protected abstract object Timestamp(DateTimeOffset now);

    internal static void AddParameter(DbCommand command, string name, object? value, DbType? type)
    {
        DbParameter parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        if (type is { } dbType)
        {
            parameter.DbType = dbType;
        }

        command.Parameters.Add(parameter);
    }

    protected static void Execute(DbConnection connection, DbTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Inside <paramref name="transaction"/> (which the engine has made exclusive): reads the
    /// schema version, applies the migrations after it in order, recording each, and stops the
    /// start when the database is newer than this build.
    /// </summary>
    protected static void ApplyMigrations(
        DbConnection connection, DbTransaction transaction, string engine, IReadOnlyList<string> migrations, string readVersionSql, Func<int, string> recordVersionSql)
    {
        using var read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = readVersionSql;
        int current = Convert.ToInt32(read.ExecuteScalar(), CultureInfo.InvariantCulture);
        if (current > migrations.Count)
        {
            throw new StartupException(
                $"The {engine} database is at schema version {current}; this version of Sluice knows versions up to {migrations.Count}. Run a newer Sluice.");
        }

        for (int i = current; i < migrations.Count; i++)
        {
            Execute(connection, transaction, migrations[i]);
            Execute(connection, transaction, recordVersionSql(i + 1));
        }
    }

    /// <summary>
    /// Refuses to start with a key other than the one the stored secrets were written with:
    /// otherwise every read fails later, and new writes would mix two keys in one database.
    /// The first start writes a sealed check value; when two start at once, the one whose
    /// insert is ignored reads back the winner's value and checks its own key against it.
    /// </summary>
    protected void CheckEncryptionKey()
    {
        using DbConnection connection = OpenAsync(CancellationToken.None).GetAwaiter().GetResult();
        using (var write = connection.CreateCommand())
        {
            write.CommandText = "INSERT INTO sluice_meta (name, value) VALUES (@name, @value) ON CONFLICT (name) DO NOTHING";
            AddParameter(write, "@name", KeyCheckName, DbType.String);
            AddParameter(write, "@value", _secrets.Seal("sluice", KeyCheckName), DbType.Binary);
            write.ExecuteNonQuery();
        }

        using var read = connection.CreateCommand();
        read.CommandText = "SELECT value FROM sluice_meta WHERE name = @name";
        AddParameter(read, "@name", KeyCheckName, DbType.String);
        byte[] sealedCheck = (byte[])read.ExecuteScalar()!;
        try
        {
            _secrets.Open(sealedCheck, KeyCheckName);
        }
        catch (CryptographicException e)
        {
            throw new StartupException(
                "The encryption key (SLUICE_ENCRYPTION_KEY or encryption.key in the data directory) is not the one this database's secrets were written with.", e);
        }
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

    private byte[]? Seal(string? secret, string id, string field) =>
        secret is null ? null : _secrets.Seal(secret, Context(id, field));

    private string? Open(DbDataReader row, int ordinal, string id, string field) =>
        row.IsDBNull(ordinal) ? null : _secrets.Open((byte[])row.GetValue(ordinal), Context(id, field));

    private static string Context(string id, string field) => $"aws-account/{id}/{field}";
}
