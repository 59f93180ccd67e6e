using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Sluice.IntegrationTests.Credentials;
using static Sluice.IntegrationTests.Http.HttpTestSupport;

namespace Sluice.IntegrationTests.Persistence;

/// <summary>
/// Real <c>sluice serve</c> processes: every account write acknowledged before a kill -9 is there
/// after a restart, on SQLite and on PostgreSQL; and two processes on one PostgreSQL serve each
/// other's writes and deletes at once.
/// </summary>
public sealed class ServerProcessTests
{
    [Fact]
    public Task Every_acknowledged_write_survives_kill_9_on_SQLite() => AcknowledgedWritesSurviveKillAsync(database: null);

    [Fact]
    public async Task Every_acknowledged_write_survives_kill_9_on_PostgreSQL()
    {
        string database = await TestPostgres.CreateDatabaseAsync();
        try
        {
            await AcknowledgedWritesSurviveKillAsync(database);
        }
        finally
        {
            await TestPostgres.DropDatabaseAsync(database);
        }
    }

    [Fact]
    public async Task Two_processes_on_one_PostgreSQL_serve_each_others_writes_and_deletes()
    {
        string database = await TestPostgres.CreateDatabaseAsync();
        try
        {
            var shared = new Dictionary<string, string?>
            {
                ["SLUICE_DATABASE"] = database,
                ["SLUICE_ENCRYPTION_KEY"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            };
            await using var a = await SluiceServerProcess.StartAsync(shared);
            await using var b = await SluiceServerProcess.StartAsync(shared);

            await PutAccountAsync(a.Client, "shared", "region: eu-west-1\naccess-key-id: AKIAFROMPROCESSA\nsecret-access-key: process-a-secret\n");
            using (var signed = await b.Client.GetAsync("/aws/storage/shared/my-bucket/k"))
            {
                var body = await ReadJsonAsync(signed, HttpStatusCode.OK);
                Assert.Contains("AKIAFROMPROCESSA", body.GetProperty("url").GetString());
            }

            using (var deleted = await b.Client.DeleteAsync("/AwsAccount/shared"))
            {
                Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
            }

            using var afterDelete = await a.Client.GetAsync("/aws/storage/shared/my-bucket/k");
            await ReadProblemAsync(afterDelete, HttpStatusCode.NotFound);
        }
        finally
        {
            await TestPostgres.DropDatabaseAsync(database);
        }
    }

    [Fact]
    public async Task Every_acknowledged_write_through_two_instances_survives_kill_9_of_one()
    {
        string database = await TestPostgres.CreateDatabaseAsync();
        try
        {
            await using var cluster = new PostgresCluster(database);
            var a = await cluster.StartAsync();
            var b = await cluster.StartAsync();
            var acknowledged = new ConcurrentBag<string>();
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 8)
                .Select(writer => WriteUntilGoneAsync((writer % 2 == 0 ? a : b).Client, $"{(writer % 2 == 0 ? "a" : "b")}{writer}", acknowledged, stop.Token))
                .ToList();

            await Task.Delay(TimeSpan.FromSeconds(2));
            await a.DisposeAsync(); // SIGKILL of A, with writes in flight through both
            await Task.Delay(TimeSpan.FromSeconds(1));
            stop.Cancel();
            await Task.WhenAll(writers);
            Assert.True(acknowledged.Count(id => id.StartsWith('a')) >= 10, "too few writes through A were acknowledged before the kill");
            Assert.True(acknowledged.Count(id => id.StartsWith('b')) >= 10, "too few writes through B were acknowledged");

            // B lists every acknowledged write, from both, and signs with them from its cache.
            var restarted = await cluster.StartAsync();
            foreach (var survivor in new[] { b, restarted })
            {
                using var list = await survivor.Client.GetAsync("/AwsAccount");
                var stored = (await ReadJsonAsync(list, HttpStatusCode.OK)).GetProperty("items").EnumerateArray().Select(item => item.GetProperty("id").GetString()!).ToHashSet();
                string[] lost = acknowledged.Where(id => !stored.Contains(id)).ToArray();
                Assert.True(lost.Length == 0, $"{lost.Length} of {acknowledged.Count} acknowledged writes were lost: {string.Join(", ", lost.Take(10))}");
            }

            foreach (string id in acknowledged.Where(id => id.StartsWith('a')).Take(5))
            {
                using var signed = await b.Client.GetAsync($"/aws/storage/{id}/my-bucket/k");
                Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
            }
        }
        finally
        {
            await TestPostgres.DropDatabaseAsync(database);
        }
    }

    /// <summary>Creates accounts <c>{prefix}-0</c>, <c>{prefix}-1</c>… until stopped or the server is gone; collects those acknowledged (201).</summary>
    private static Task WriteUntilGoneAsync(HttpClient client, string prefix, ConcurrentBag<string> acknowledged, CancellationToken stop) => Task.Run(async () =>
    {
        for (int i = 0; !stop.IsCancellationRequested; i++)
        {
            string id = $"{prefix}-{i}";
            try
            {
                using var response = await client.PutAsync($"/AwsAccount/{id}", Yaml($"region: us-east-1\naccess-key-id: AKIA{prefix}X{i}\nsecret-access-key: secret-{id}\n"));
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    acknowledged.Add(id);
                }
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or ObjectDisposedException)
            {
                return; // the server is gone
            }
        }
    });

    private static async Task AcknowledgedWritesSurviveKillAsync(string? database)
    {
        string data = Path.Combine(Path.GetTempPath(), "sluice-kill-" + Guid.NewGuid().ToString("N")[..12]);
        var environment = new Dictionary<string, string?> { ["SLUICE_DATA_DIR"] = data };
        if (database is not null)
        {
            environment["SLUICE_DATABASE"] = database;
            environment["SLUICE_ENCRYPTION_KEY"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        }

        try
        {
            var acknowledged = new ConcurrentBag<string>();
            var server = await SluiceServerProcess.StartAsync(environment);
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 8).Select(writer => WriteUntilGoneAsync(server.Client, $"w{writer}", acknowledged, stop.Token)).ToList();

            await Task.Delay(TimeSpan.FromSeconds(2));
            await server.DisposeAsync(); // SIGKILL, with writes in flight
            stop.Cancel();
            await Task.WhenAll(writers);
            Assert.True(acknowledged.Count >= 20, $"only {acknowledged.Count} writes were acknowledged before the kill");

            await using var restarted = await SluiceServerProcess.StartAsync(environment);
            using var list = await restarted.Client.GetAsync("/AwsAccount");
            var body = await ReadJsonAsync(list, HttpStatusCode.OK);
            var stored = body.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("id").GetString()!).ToHashSet();
            string[] lost = acknowledged.Where(id => !stored.Contains(id)).ToArray();
            Assert.True(lost.Length == 0, $"{lost.Length} of {acknowledged.Count} acknowledged writes were lost: {string.Join(", ", lost.Take(10))}");

            // Their secrets decrypt: a few of them sign.
            foreach (string id in acknowledged.Take(5))
            {
                using var signed = await restarted.Client.GetAsync($"/aws/storage/{id}/my-bucket/k");
                Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
            }
        }
        finally
        {
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
    }
}
