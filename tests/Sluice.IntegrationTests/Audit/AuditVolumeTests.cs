using System.Data.Common;
using System.Net;
using Microsoft.Data.Sqlite;
using Npgsql;
using Sluice.IntegrationTests.Http;
using Sluice.IntegrationTests.Persistence;
using static Sluice.IntegrationTests.Http.HttpTestSupport;

namespace Sluice.IntegrationTests.Audit;

/// <summary>
/// 100,000 presigns through the HTTP API leave exactly 100,000 audit rows, each with its own key
/// and the right fields, on SQLite and on PostgreSQL; the server is stopped gracefully the moment
/// the last answer arrives (with records still gathering for the database), and loses none.
/// </summary>
public sealed class AuditVolumeTests
{
    private const int Presigns = 100_000;

    [Fact]
    public Task Every_one_of_a_hundred_thousand_presigns_has_its_row_on_SQLite() => PresignAndCountAsync(database: null);

    [Fact]
    public async Task Every_one_of_a_hundred_thousand_presigns_has_its_row_on_PostgreSQL()
    {
        string database = await TestPostgres.CreateDatabaseAsync();
        try
        {
            await PresignAndCountAsync(database);
        }
        finally
        {
            await TestPostgres.DropDatabaseAsync(database);
        }
    }

    private static async Task PresignAndCountAsync(string? database)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Sluice:RateLimitPerSecond"] = "0", // one token sends them all
            ["Sluice:AuditFlushMilliseconds"] = "3000", // so that thousands of records still wait when the stop comes
        };
        if (database is not null)
        {
            settings["Sluice:Database"] = database;
        }

        await using var host = await SluiceTestHost.StartAsync(settings: settings);
        await PutAccountAsync(host.Client, "volume", "region: us-east-1\naccess-key-id: AKIAVOLUME\nsecret-access-key: volume-secret\n");
        int next = -1;
        int ok = 0;
        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < Presigns)
            {
                using var response = await host.Client.GetAsync($"/aws/storage/volume/audited/k/{i:D6}?expiration=900");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref ok);
                }
            }
        })));
        Assert.Equal(Presigns, ok);

        // Rows written so far: fewer than the presigns, or the stop would have nothing left to write.
        long before = await CountAsync(database, host.DatabasePath);
        Assert.True(before < Presigns, "every record was written before the stop came: the test would prove nothing");

        string sqlitePath = host.DatabasePath;
        await host.StopAsync(); // graceful: what is queued is written before the process ends

        await using DbConnection connection = database is null
            ? new SqliteConnection($"Data Source={sqlitePath};Mode=ReadOnly;Pooling=False")
            : new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using DbCommand count = connection.CreateCommand();
        count.CommandText = """
            SELECT count(*), count(DISTINCT object_key),
                   sum(CASE WHEN action = 'presign' AND outcome = 'allowed' AND status = 200 AND method = 'GET' AND key_count = 1
                             AND account = 'volume' AND identity_kind = 'token' AND identity_name = 'admin (SLUICE_ADMIN_TOKEN)'
                             AND client_address = '127.0.0.1' AND expires_at > time AND http_method = 'GET'
                             AND path = '/aws/storage/volume/audited/' || object_key AND request_id <> '' THEN 1 ELSE 0 END),
                   min(object_key), max(object_key)
            FROM audit_event WHERE bucket = 'audited'
            """;
        await using DbDataReader reader = await count.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(Presigns, Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(Presigns, Convert.ToInt64(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(Presigns, Convert.ToInt64(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(("k/000000", $"k/{Presigns - 1:D6}"), (reader.GetString(3), reader.GetString(4)));
    }

    private static async Task<long> CountAsync(string? database, string sqlitePath)
    {
        await using DbConnection connection = database is null
            ? new SqliteConnection($"Data Source={sqlitePath};Mode=ReadOnly;Pooling=False")
            : new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using DbCommand count = connection.CreateCommand();
        count.CommandText = "SELECT count(*) FROM audit_event WHERE bucket = 'audited'";
        return Convert.ToInt64(await count.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
