using System.Data;
using System.Data.Common;
using System.Text.Json;

namespace Sluice.Server.Persistence.Resources;

/// <summary>
/// The <c>cloud_resource</c> table, in the accounts' database (SQLite or PostgreSQL): one row per
/// resource, its id <c>Type/id</c>, its plain fields as JSON and its secret fields as JSON sealed
/// with the database's key (bound to the row, so a sealed value moved to another row does not
/// open). A new resource type is a codec, not a table. Nothing is cached here.
/// </summary>
public sealed class SqlResourceStore(SqlAccountStore database)
{
    /// <summary>The schema migration that adds the table (written for SQLite; PostgreSQL says bytea for BLOB).</summary>
    public const string CreateTableSql = """
        CREATE TABLE cloud_resource (
            id TEXT PRIMARY KEY NOT NULL,
            resource_type TEXT NOT NULL,
            fields TEXT NOT NULL,
            secrets BLOB NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        """;

    private const string UpsertSql = """
        INSERT INTO cloud_resource (id, resource_type, fields, secrets, created_at, updated_at)
        VALUES (@id, @type, @fields, @secrets, @now, @now)
        ON CONFLICT (id) DO UPDATE SET fields = excluded.fields, secrets = excluded.secrets, updated_at = excluded.updated_at
        """;

    public async Task<StoredResource?> FindAsync(string key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, resource_type, fields, secrets FROM cloud_resource WHERE id = @id";
        SqlAccountStore.AddParameter(command, "@id", key, DbType.String);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Materialize(reader) : null;
    }

    /// <summary>Every resource, or those of <paramref name="type"/>, by id.</summary>
    public async Task<IReadOnlyList<StoredResource>> ListAsync(string? type, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = type is null
            ? "SELECT id, resource_type, fields, secrets FROM cloud_resource ORDER BY id"
            : "SELECT id, resource_type, fields, secrets FROM cloud_resource WHERE resource_type = @type ORDER BY id";
        SqlAccountStore.AddParameter(command, "@type", type, DbType.String);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var resources = new List<StoredResource>();
        while (await reader.ReadAsync(cancellationToken))
        {
            resources.Add(Materialize(reader));
        }

        return resources;
    }

    /// <summary>Creates or replaces the resource; true when it was created.</summary>
    public async Task<bool> PutAsync(StoredResource resource, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var upsert = connection.CreateCommand();
        SqlAccountStore.AddParameter(upsert, "@id", resource.Key, DbType.String);
        SqlAccountStore.AddParameter(upsert, "@type", resource.Type, DbType.String);
        SqlAccountStore.AddParameter(upsert, "@fields", JsonSerializer.Serialize(resource.Fields), DbType.String);
        SqlAccountStore.AddParameter(upsert, "@secrets", resource.Secrets.Count == 0 ? null : database.SealSecret(JsonSerializer.Serialize(resource.Secrets), resource.Key), DbType.Binary);
        SqlAccountStore.AddParameter(upsert, "@now", database.NowText(), DbType.String);
        return await database.UpsertRowAsync(connection, upsert, "cloud_resource", UpsertSql, cancellationToken);
    }

    /// <summary>True when there was a resource to delete.</summary>
    public async Task<bool> DeleteAsync(string key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM cloud_resource WHERE id = @id";
        SqlAccountStore.AddParameter(command, "@id", key, DbType.String);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    private StoredResource Materialize(DbDataReader row)
    {
        string key = row.GetString(0);
        string type = row.GetString(1);
        var fields = JsonSerializer.Deserialize<Dictionary<string, string>>(row.GetString(2))!;
        var secrets = row.IsDBNull(3)
            ? new Dictionary<string, string>()
            : JsonSerializer.Deserialize<Dictionary<string, string>>(database.OpenSecret((byte[])row.GetValue(3), key))!;
        return new StoredResource(type, key[(type.Length + 1)..], fields, secrets);
    }
}
