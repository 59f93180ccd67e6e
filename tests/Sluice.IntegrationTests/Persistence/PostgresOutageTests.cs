using System.Net;
using System.Net.Http.Headers;
using Sluice.IntegrationTests.Credentials;
using Xunit.Abstractions;
using static Sluice.IntegrationTests.Http.HttpTestSupport;

namespace Sluice.IntegrationTests.Persistence;

/// <summary>
/// PostgreSQL stopped under two running instances (on a cluster of this test's own): cached
/// tokens and accounts keep signing, everything that needs the database answers 503 with
/// <c>Retry-After</c> and a problem body, never 500; an instance whose allowed staleness has run
/// out refuses cached entries too; and once PostgreSQL is back, writes work again and a change
/// made through one instance reaches the other, with no restart.
/// </summary>
public sealed class PostgresOutageTests(ITestOutputHelper output)
{
    private const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    [Fact]
    public async Task Cached_presigns_go_on_the_rest_answers_503_and_everything_recovers_without_a_restart()
    {
        await using var postgres = await ThrowawayPostgres.StartAsync();
        await using var cluster = new PostgresCluster(postgres.ConnectionString);
        SluiceServerProcess a = await cluster.StartAsync();
        SluiceServerProcess b = await cluster.StartAsync(new Dictionary<string, string?> { ["Sluice__CacheMaxStalenessSeconds"] = "2" });
        a.OutputSink = output.WriteLine;
        await PutAccountAsync(a.Client, "kept", $"region: us-east-1\naccess-key-id: AKIAKEPT\nsecret-access-key: {Secret}\n");
        var (tokenId, secret) = await PostgresCluster.CreateTokenAsync(a, "kept");
        Assert.Equal(HttpStatusCode.OK, await PostgresCluster.PresignStatusAsync(b, "kept", secret));

        await postgres.StopAsync();

        // A (300 s allowed) signs for what it knows.
        var statuses = new List<HttpStatusCode>();
        for (int i = 0; i < 20; i++)
        {
            statuses.Add(await PostgresCluster.PresignStatusAsync(a, "kept", secret));
        }

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));

        // What needs the database: an unknown token, an account it has not seen, every write and listing.
        await AssertUnavailableAsync(await PostgresCluster.PresignAsync(a, "kept", "sluice_not_a_token_" + Guid.NewGuid().ToString("N")));
        await AssertUnavailableAsync(await PostgresCluster.PresignAsync(a, "never-seen", secret));
        await AssertUnavailableAsync(await a.Client.PutAsync("/AwsAccount/written-during-outage", Yaml($"region: us-east-1\naccess-key-id: AKIANEW\nsecret-access-key: {Secret}\n")));
        await AssertUnavailableAsync(await a.Client.DeleteAsync($"/tokens/{tokenId}"));
        await AssertUnavailableAsync(await a.Client.PostAsync("/tokens", Json("{\"name\":\"during-outage\"}")));
        await AssertUnavailableAsync(await a.Client.GetAsync("/AwsAccount"));

        // Readiness says so, without taking A out of a load balancer: it still serves.
        using (var ready = await a.Client.GetAsync("/readyz"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.Equal("Degraded", await ready.Content.ReadAsStringAsync());
        }

        // B (2 s allowed) stops trusting its cache once that has run out, and is no longer ready.
        await Propagation.WithinAsync(TimeSpan.FromSeconds(20), "B refusing cached entries after its staleness ran out", async () =>
        {
            using var response = await PostgresCluster.PresignAsync(b, "kept", secret);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return false;
            }

            await AssertUnavailableAsync(response);
            return true;
        });
        using (var ready = await b.Client.GetAsync("/readyz"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        }

        await postgres.ResumeAsync();

        // Writes work again through A, and the revoke made through A reaches B after it reconnected.
        await Propagation.WithinAsync(TimeSpan.FromSeconds(30), "a write through A after PostgreSQL is back", async () =>
        {
            using var response = await a.Client.PutAsync("/AwsAccount/written-after-outage", Yaml($"region: us-east-1\naccess-key-id: AKIAAFTER\nsecret-access-key: {Secret}\n"));
            Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
            return response.StatusCode == HttpStatusCode.Created;
        });
        using (var revoked = await a.Client.DeleteAsync($"/tokens/{tokenId}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        }

        await Propagation.WithinAsync(TimeSpan.FromSeconds(10), "the revoke on B after the outage", async () =>
            await PostgresCluster.PresignStatusAsync(b, "kept", secret) == HttpStatusCode.Unauthorized);
        Assert.Equal("AKIAAFTER", await PostgresCluster.SigningKeyAsync(b, "written-after-outage"));
        await Propagation.WithinAsync(TimeSpan.FromSeconds(10), "B ready again", async () =>
        {
            using var ready = await b.Client.GetAsync("/readyz");
            return ready.StatusCode == HttpStatusCode.OK && await ready.Content.ReadAsStringAsync() == "Healthy";
        });

        Assert.DoesNotContain("An unhandled exception", a.Output + b.Output, StringComparison.Ordinal);
    }

    private static async Task AssertUnavailableAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var problem = await ReadProblemAsync(response, HttpStatusCode.ServiceUnavailable);
            Assert.Equal("Database unavailable", problem.GetProperty("title").GetString());
            Assert.Equal(TimeSpan.FromSeconds(2), response.Headers.RetryAfter?.Delta);
        }
    }
}
