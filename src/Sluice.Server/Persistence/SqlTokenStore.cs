using System.Data;
using System.Data.Common;
using System.Globalization;
using Sluice.Core.Access;
using Sluice.Server.Auth;

namespace Sluice.Server.Persistence;

/// <summary>
/// Access tokens in the accounts' database (SQLite or PostgreSQL), so every instance on a
/// shared database sees a new or revoked token at once. Times are ISO-8601 text in both engines.
/// </summary>
public sealed class SqlTokenStore(SqlAccountStore database) : ITokenStore
{
    /// <summary>The schema migration that adds the table (written for SQLite; PostgreSQL says bytea for BLOB).</summary>
    public const string CreateTableSql = """
        CREATE TABLE access_token (
            id TEXT PRIMARY KEY NOT NULL,
            name TEXT NOT NULL,
            secret_hash BLOB NOT NULL UNIQUE,
            scope TEXT NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NULL,
            revoked_at TEXT NULL
        );
        """;

    private const string Columns = "id, name, scope, created_at, expires_at, revoked_at";

    public async Task<bool> CreateAsync(AccessToken token, byte[] secretHash, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var insert = connection.CreateCommand();
        insert.CommandText = $"INSERT INTO access_token ({Columns}, secret_hash) VALUES (@id, @name, @scope, @created, @expires, NULL, @hash) ON CONFLICT (secret_hash) DO NOTHING";
        SqlAccountStore.AddParameter(insert, "@id", token.Id, DbType.String);
        SqlAccountStore.AddParameter(insert, "@name", token.Name, DbType.String);
        SqlAccountStore.AddParameter(insert, "@scope", TokenScopeJson.Serialize(token.Scope), DbType.String);
        SqlAccountStore.AddParameter(insert, "@created", Text(token.CreatedAt), DbType.String);
        SqlAccountStore.AddParameter(insert, "@expires", token.ExpiresAt is { } expires ? Text(expires) : null, DbType.String);
        SqlAccountStore.AddParameter(insert, "@hash", secretHash, DbType.Binary);
        return await insert.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task<AccessToken?> FindBySecretHashAsync(byte[] secretHash, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var query = connection.CreateCommand();
        query.CommandText = $"SELECT {Columns} FROM access_token WHERE secret_hash = @hash";
        SqlAccountStore.AddParameter(query, "@hash", secretHash, DbType.Binary);
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<AccessToken>> ListAsync(CancellationToken cancellationToken) =>
        (await ListStoredAsync(cancellationToken)).Select(stored => stored.Token).ToList();

    /// <summary>Every token with the SHA-256 of its secret (for a cache that answers lookups from memory), oldest first.</summary>
    public async Task<IReadOnlyList<StoredToken>> ListStoredAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var query = connection.CreateCommand();
        query.CommandText = $"SELECT {Columns}, secret_hash FROM access_token ORDER BY created_at, id";
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        var tokens = new List<StoredToken>();
        while (await reader.ReadAsync(cancellationToken))
        {
            tokens.Add(new StoredToken(Read(reader), (byte[])reader.GetValue(6)));
        }

        return tokens;
    }

    /// <summary>One token with the SHA-256 of its secret; null when there is no such id.</summary>
    public async Task<StoredToken?> FindStoredAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var query = connection.CreateCommand();
        query.CommandText = $"SELECT {Columns}, secret_hash FROM access_token WHERE id = @id";
        SqlAccountStore.AddParameter(query, "@id", id, DbType.String);
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new StoredToken(Read(reader), (byte[])reader.GetValue(6)) : null;
    }

    public async Task<bool> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var update = connection.CreateCommand();
        update.CommandText = "UPDATE access_token SET revoked_at = COALESCE(revoked_at, @at) WHERE id = @id";
        SqlAccountStore.AddParameter(update, "@id", id, DbType.String);
        SqlAccountStore.AddParameter(update, "@at", Text(at), DbType.String);
        return await update.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    private static string Text(DateTimeOffset time) => time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset? Time(DbDataReader row, int ordinal) =>
        row.IsDBNull(ordinal) ? null : DateTimeOffset.Parse(row.GetString(ordinal), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    private static AccessToken Read(DbDataReader row) => new(
        row.GetString(0), row.GetString(1), TokenScopeJson.Deserialize(row.GetString(2)), Time(row, 3)!.Value, Time(row, 4), Time(row, 5));
}
