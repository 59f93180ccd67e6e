using Microsoft.Data.Sqlite;
using Sluice.Core.Access;
using Sluice.Server.Auth;

namespace Sluice.Server.Persistence;

/// <summary>Access tokens in the embedded SQLite database, beside the accounts.</summary>
public sealed class SqliteTokenStore : ITokenStore
{
    private const string Columns = "id, name, scope, created_at, expires_at, revoked_at";

    private readonly string _connectionString;

    public SqliteTokenStore(string databasePath)
    {
        _connectionString = new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = true }.ToString();
        using var connection = Open();
        using var create = connection.CreateCommand();
        create.CommandText = """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS access_token (
                id TEXT PRIMARY KEY NOT NULL,
                name TEXT NOT NULL,
                secret_hash BLOB NOT NULL UNIQUE,
                scope TEXT NOT NULL,
                created_at TEXT NOT NULL,
                expires_at TEXT NULL,
                revoked_at TEXT NULL
            );
            """;
        create.ExecuteNonQuery();
    }

    public async Task CreateAsync(AccessToken token, byte[] secretHash, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var insert = connection.CreateCommand();
        insert.CommandText = $"INSERT INTO access_token ({Columns}, secret_hash) VALUES ($id, $name, $scope, $created, $expires, NULL, $hash)";
        insert.Parameters.AddWithValue("$id", token.Id);
        insert.Parameters.AddWithValue("$name", token.Name);
        insert.Parameters.AddWithValue("$scope", TokenScopeJson.Serialize(token.Scope));
        insert.Parameters.AddWithValue("$created", token.CreatedAt.ToString("O"));
        insert.Parameters.AddWithValue("$expires", (object?)token.ExpiresAt?.ToString("O") ?? DBNull.Value);
        insert.Parameters.AddWithValue("$hash", secretHash);
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<AccessToken?> FindBySecretHashAsync(byte[] secretHash, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var query = connection.CreateCommand();
        query.CommandText = $"SELECT {Columns} FROM access_token WHERE secret_hash = $hash";
        query.Parameters.AddWithValue("$hash", secretHash);
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<AccessToken>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var query = connection.CreateCommand();
        query.CommandText = $"SELECT {Columns} FROM access_token ORDER BY created_at, id";
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        var tokens = new List<AccessToken>();
        while (await reader.ReadAsync(cancellationToken))
        {
            tokens.Add(Read(reader));
        }

        return tokens;
    }

    public async Task<bool> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var update = connection.CreateCommand();
        update.CommandText = "UPDATE access_token SET revoked_at = COALESCE(revoked_at, $at) WHERE id = $id";
        update.Parameters.AddWithValue("$id", id);
        update.Parameters.AddWithValue("$at", at.ToString("O"));
        return await update.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    private static AccessToken Read(SqliteDataReader row) => new(
        row.GetString(0),
        row.GetString(1),
        TokenScopeJson.Deserialize(row.GetString(2)),
        DateTimeOffset.Parse(row.GetString(3), System.Globalization.CultureInfo.InvariantCulture),
        row.IsDBNull(4) ? null : DateTimeOffset.Parse(row.GetString(4), System.Globalization.CultureInfo.InvariantCulture),
        row.IsDBNull(5) ? null : DateTimeOffset.Parse(row.GetString(5), System.Globalization.CultureInfo.InvariantCulture));

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA busy_timeout = 5000; PRAGMA synchronous = FULL;";
        pragma.ExecuteNonQuery();
        return connection;
    }
}
