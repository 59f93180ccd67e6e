using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Sluice.IntegrationTests.Http;
using static Sluice.IntegrationTests.Http.HttpTestSupport;

namespace Sluice.IntegrationTests.Audit;

/// <summary>
/// When the database cannot take the trail's writes (another connection holds SQLite's write lock),
/// records wait up to <c>Sluice:AuditQueueLimit</c>; past it a request is refused with 503 and
/// <c>Retry-After</c> (the default) or served with its record dropped (<c>drop</c>), <c>/readyz</c>
/// says so, and all of it recovers once the database takes writes again, without a restart.
/// </summary>
public sealed class AuditQueueLimitTests
{
    [Fact]
    public async Task A_full_queue_refuses_new_requests_until_the_database_takes_the_records()
    {
        await using var host = await StartAsync(limit: 2, whenFull: "refuse");
        string[] served;
        using (HoldWriteLock(host))
        {
            served = [await PresignAsync(host, "first"), await PresignAsync(host, "second")];

            using var refused = await host.Client.GetAsync("/aws/storage/limited/bucket/third");
            JsonElement problem = await ReadProblemAsync(refused, HttpStatusCode.ServiceUnavailable);
            Assert.Equal("The audit trail is behind", problem.GetProperty("title").GetString());
            Assert.Equal("1", refused.Headers.RetryAfter?.ToString());

            using var ready = await host.Client.GetAsync("/readyz");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        }

        // The lock is gone: the waiting records are written, requests are served again.
        await Eventually(async () =>
        {
            using var response = await host.Client.GetAsync("/aws/storage/limited/bucket/after");
            return response.StatusCode == HttpStatusCode.OK;
        });
        using (var ready = await host.Client.GetAsync("/readyz"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        var keys = (await AuditTrail.ExportAsync(host.Client, "bucket=bucket")).Select(r => r.Text("key")).ToList();
        Assert.Equal(["first", "second"], keys.Take(2));
        Assert.DoesNotContain("third", keys);
        Assert.Contains(served[0], (await AuditTrail.ExportAsync(host.Client)).Select(r => r.Text("requestId")));
    }

    [Fact]
    public async Task With_drop_a_full_queue_serves_the_request_and_drops_its_record()
    {
        await using var host = await StartAsync(limit: 1, whenFull: "drop");
        string kept, dropped;
        using (HoldWriteLock(host))
        {
            kept = await PresignAsync(host, "kept");
            dropped = await PresignAsync(host, "dropped");
        }

        await AuditTrail.WaitForAsync(host.Client, "bucket=bucket", 1, TimeSpan.FromSeconds(40));
        var ids = (await AuditTrail.ExportAsync(host.Client)).Select(r => r.Text("requestId")).ToList();
        Assert.Contains(kept, ids);
        Assert.DoesNotContain(dropped, ids);
    }

    private static async Task<SluiceTestHost> StartAsync(int limit, string whenFull)
    {
        var host = await SluiceTestHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Sluice:AuditQueueLimit"] = limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Sluice:AuditWhenFull"] = whenFull,
        });
        await PutAccountAsync(host.Client, "limited", "region: us-east-1\naccess-key-id: AKIALIMITED\nsecret-access-key: limited-secret\n");

        // The account's own record must be in before the lock is taken: wait for it.
        await AuditTrail.WaitForAsync(host.Client, "action=account-put", 1);
        return host;
    }

    /// <summary>Another connection takes SQLite's write lock (readers go on: WAL), so the trail's writer waits.</summary>
    private static IDisposable HoldWriteLock(SluiceTestHost host)
    {
        var connection = new SqliteConnection($"Data Source={host.DatabasePath};Pooling=False");
        connection.Open();
        using var begin = connection.CreateCommand();
        begin.CommandText = "BEGIN IMMEDIATE";
        begin.ExecuteNonQuery();
        return connection; // disposing it rolls back and frees the lock
    }

    /// <summary>Presigns a GET of <paramref name="key"/>, which must be served; its request id.</summary>
    private static async Task<string> PresignAsync(SluiceTestHost host, string key)
    {
        using var response = await host.Client.GetAsync($"/aws/storage/limited/bucket/{key}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.GetValues("X-Request-Id").Single();
    }

    private static async Task Eventually(Func<Task<bool>> condition)
    {
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(40);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the trail did not recover within 40 s of the lock's release");
            await Task.Delay(100);
        }
    }
}
