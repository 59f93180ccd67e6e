using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Npgsql;
using Sluice.IntegrationTests.Credentials;
using Sluice.Server.Persistence;
using Sluice.Server.Persistence.Caching;
using Xunit.Abstractions;
using static Sluice.IntegrationTests.Http.HttpTestSupport;

namespace Sluice.IntegrationTests.Persistence;

/// <summary>
/// Two <c>sluice serve</c> processes on one PostgreSQL, each answering tokens and accounts from
/// its own cache: a revoke, a replace or a delete acknowledged by one holds on the other at once;
/// one that never reached a listener arrives within <see cref="Propagation.Bound"/>; a listener
/// that never confirms delays writes by a bounded time and is logged; and a flood of unknown
/// tokens costs a bounded number of queries, counted by PostgreSQL itself.
/// </summary>
public sealed class ScaleOutOnPostgresTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    private string _database = null!;
    private PostgresCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _database = await TestPostgres.CreateDatabaseAsync();
        _cluster = new PostgresCluster(_database);
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        await TestPostgres.DropDatabaseAsync(_database);
    }

    [Fact]
    public async Task A_revoke_a_replace_and_a_delete_acknowledged_by_one_instance_hold_on_the_other_at_once()
    {
        // Created through A: B knows both at once.
        var (a, b, tokenId, secret) = await StartTwoWithTokenAsync("shared", "AKIAFIRSTKEY");

        // Each write is acknowledged once B has confirmed it: no waiting on this side of the answer.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using (var revoked = await a.Client.DeleteAsync($"/tokens/{tokenId}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        }

        TimeSpan revoke = clock.Elapsed;
        Assert.Equal(HttpStatusCode.Unauthorized, await PostgresCluster.PresignStatusAsync(b, "shared", secret));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostgresCluster.PresignStatusAsync(a, "shared", secret));

        clock.Restart();
        await PutAccountAsync(b.Client, "shared", $"region: us-east-1\naccess-key-id: AKIAROTATEDKEY\nsecret-access-key: {Secret}\n", HttpStatusCode.OK);
        TimeSpan replace = clock.Elapsed;
        Assert.Equal("AKIAROTATEDKEY", await PostgresCluster.SigningKeyAsync(a, "shared"));
        Assert.Equal("AKIAROTATEDKEY", await PostgresCluster.SigningKeyAsync(b, "shared"));

        clock.Restart();
        using (var deleted = await a.Client.DeleteAsync("/AwsAccount/shared"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        TimeSpan delete = clock.Elapsed;
        using (var response = await b.Client.GetAsync("/aws/storage/shared/my-bucket/k"))
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        output.WriteLine($"acknowledged, confirmed by the other instance, after: revoke {revoke.TotalMilliseconds:0} ms, replace {replace.TotalMilliseconds:0} ms, delete {delete.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task A_listener_that_never_confirms_is_waited_for_a_bounded_time_and_named_in_the_log()
    {
        var (a, b, _, _) = await StartTwoWithTokenAsync("waited-for", "AKIAWAITED");

        // A connection that PostgreSQL lists as an instance's listener but that never confirms
        // anything: an instance frozen, or one of a build that does not confirm.
        var silent = new NpgsqlConnectionStringBuilder(_cluster.Database) { ApplicationName = PostgresAccountStore.ListenerApplicationName, Pooling = false };
        await using (var connection = new NpgsqlConnection(silent.ConnectionString))
        {
            await connection.OpenAsync();
            Assert.Equal(3, await ListenersAsync());

            // The write stands and is acknowledged; B, which does confirm, has it at once.
            await PutAccountAsync(a.Client, "waited-for", $"region: us-east-1\naccess-key-id: AKIAWHILESILENT\nsecret-access-key: {Secret}\n", HttpStatusCode.OK);
            Assert.Equal("AKIAWHILESILENT", await PostgresCluster.SigningKeyAsync(b, "waited-for"));
            await Propagation.WithinBoundAsync("the warning in A's log", () =>
                Task.FromResult(a.Output.Contains("1 other instance(s) had not confirmed change", StringComparison.Ordinal)));
        }

        // Gone from PostgreSQL's list, it is waited for no more.
        await Propagation.WithinBoundAsync("the silent connection gone", async () => await ListenersAsync() == 2);
        await PutAccountAsync(b.Client, "waited-for", $"region: us-east-1\naccess-key-id: AKIAAFTERSILENT\nsecret-access-key: {Secret}\n", HttpStatusCode.OK);
        Assert.Equal("AKIAAFTERSILENT", await PostgresCluster.SigningKeyAsync(a, "waited-for"));
        Assert.DoesNotContain("had not confirmed", b.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_change_committed_while_the_listening_connections_are_killed_is_still_seen()
    {
        var (a, b, tokenId, secret) = await StartTwoWithTokenAsync("target", "AKIATARGET");
        Assert.Equal(2, await ListenersAsync());

        // In one transaction: every listening connection is ended (waiting until it is gone), then
        // the token is revoked. Its announcement goes to nobody; each instance must catch it
        // when it reconnects.
        await _cluster.ExecuteAsync($"""
            BEGIN;
            SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity
                WHERE application_name = '{PostgresAccountStore.ListenerApplicationName}' AND datname = current_database();
            UPDATE access_token SET revoked_at = '2026-01-01T00:00:00.0000000+00:00' WHERE id = '{tokenId}';
            COMMIT;
            """);

        await Propagation.WithinBoundAsync("a revoke committed while B's listener was gone, on B", async () =>
            await PostgresCluster.PresignStatusAsync(b, "target", secret) == HttpStatusCode.Unauthorized);
        await Propagation.WithinBoundAsync("the same, on A", async () =>
            await PostgresCluster.PresignStatusAsync(a, "target", secret) == HttpStatusCode.Unauthorized);
        await Propagation.WithinBoundAsync("both listening again", async () => await ListenersAsync() == 2);
    }

    [Fact]
    public async Task A_change_that_was_never_announced_is_caught_by_the_change_counter()
    {
        SluiceServerProcess a = await _cluster.StartAsync();
        await PutAccountAsync(a.Client, "silent", $"region: us-east-1\naccess-key-id: AKIABEFORE\nsecret-access-key: {Secret}\n");
        Assert.Equal("AKIABEFORE", await PostgresCluster.SigningKeyAsync(a, "silent"));

        // With triggers off (session_replication_role = replica) the row changes and the counter
        // moves, but nothing is announced: only the once-a-second comparison can find it, after
        // two checks (an announcement may still be on its way at the first).
        await _cluster.ExecuteAsync("""
            BEGIN;
            SET LOCAL session_replication_role = replica;
            UPDATE aws_account SET access_key_id = 'AKIAUNANNOUNCED' WHERE id = 'silent';
            UPDATE sluice_change SET version = version + 1 WHERE id = 1;
            COMMIT;
            """);

        TimeSpan seen = await Propagation.WithinAsync(
            Propagation.Bound * 3, "an unannounced change", async () => await PostgresCluster.SigningKeyAsync(a, "silent") == "AKIAUNANNOUNCED");
        output.WriteLine($"an unannounced change was seen after {seen.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task A_hundred_thousand_unknown_tokens_cost_a_bounded_number_of_queries()
    {
        SluiceServerProcess a = await _cluster.StartAsync();
        a.OutputSink = output.WriteLine;
        await PutAccountAsync(a.Client, "flooded", $"region: us-east-1\naccess-key-id: AKIAFLOOD\nsecret-access-key: {Secret}\n");
        var (_, good) = await PostgresCluster.CreateTokenAsync(a, "good-behind-the-same-address");

        long before = await TransactionsAsync();
        const int Requests = 100_000;
        int next = -1;
        var statuses = new int[600];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) < Requests)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/aws/storage/flooded/my-bucket/k");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "sluice_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(20)));
                using var response = await a.Client.SendAsync(request);
                Interlocked.Increment(ref statuses[(int)response.StatusCode]);
            }
        })));
        TimeSpan took = clock.Elapsed;

        // A good client from the same address is served all along.
        Assert.Equal(HttpStatusCode.OK, await PostgresCluster.PresignStatusAsync(a, "flooded", good));

        // Statistics are flushed when a backend ends: end the instance's connections first.
        await a.DisposeAsync();
        long queries = await TransactionsAsync() - before;
        output.WriteLine($"{Requests} unknown tokens in {took.TotalSeconds:0.0} s: {queries} transactions on the database; answers "
            + string.Join(", ", statuses.Select((count, status) => (count, status)).Where(s => s.count > 0).Select(s => $"{s.status}: {s.count}")));
        Assert.Equal(Requests, statuses[401]);

        // The budget is 25 look-ups a second after a burst of 50, each two statements (the pooled
        // connection's reset, then the query), and the listener checks in once a second: for this
        // run's length that is the most there can be, where one query per request would be 100,000.
        double seconds = took.TotalSeconds + 5;
        double bound = (2 * ((DatabaseCache.MissLookupsPerSecond * 2) + (DatabaseCache.MissLookupsPerSecond * seconds))) + seconds;
        Assert.True(queries <= bound, $"{queries} transactions for {Requests} unknown tokens in {took.TotalSeconds:0.0} s; the bound is {bound:0}");
    }

    /// <summary>Two instances; an account and a token created through the first, which the second signs with.</summary>
    private async Task<(SluiceServerProcess A, SluiceServerProcess B, string TokenId, string Secret)> StartTwoWithTokenAsync(string account, string accessKeyId)
    {
        SluiceServerProcess a = await _cluster.StartAsync();
        SluiceServerProcess b = await _cluster.StartAsync();
        await PutAccountAsync(a.Client, account, $"region: us-east-1\naccess-key-id: {accessKeyId}\nsecret-access-key: {Secret}\n");
        var (tokenId, secret) = await PostgresCluster.CreateTokenAsync(a, account);
        Assert.Equal(HttpStatusCode.OK, await PostgresCluster.PresignStatusAsync(b, account, secret));
        return (a, b, tokenId, secret);
    }

    private async Task<long> ListenersAsync()
    {
        string name = new NpgsqlConnectionStringBuilder(_database).Database!;
        return await TestPostgres.ScalarAsync<long>(
            TestPostgres.AdminConnectionString,
            $"SELECT count(*) FROM pg_stat_activity WHERE application_name = '{PostgresAccountStore.ListenerApplicationName}' AND datname = '{name}'");
    }

    /// <summary>Committed and rolled-back transactions of the test database, by PostgreSQL's statistics (each query outside a transaction is one).</summary>
    private async Task<long> TransactionsAsync()
    {
        string name = new NpgsqlConnectionStringBuilder(_database).Database!;
        return await TestPostgres.ScalarAsync<long>(
            TestPostgres.AdminConnectionString, $"SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = '{name}'");
    }
}
