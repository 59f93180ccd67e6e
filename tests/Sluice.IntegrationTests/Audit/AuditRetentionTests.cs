using System.Net;
using Microsoft.Extensions.Time.Testing;
using Sluice.IntegrationTests.Http;
using static Sluice.IntegrationTests.Http.HttpTestSupport;

namespace Sluice.IntegrationTests.Audit;

/// <summary>Records older than <c>Sluice:AuditRetentionDays</c> are deleted; younger ones stay.</summary>
public sealed class AuditRetentionTests
{
    [Fact]
    public async Task Records_past_the_retention_are_deleted_and_the_rest_kept()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await SluiceTestHost.StartAsync(settings: new Dictionary<string, string?> { ["Sluice:AuditRetentionDays"] = "30" }, time: time);
        await PutAccountAsync(host.Client, "kept", "region: us-east-1\naccess-key-id: AKIAKEPT\nsecret-access-key: kept-secret\n");
        await PresignAsync(host, "old");
        await AuditTrail.WaitForAsync(host.Client, "bucket=retained", 1);

        time.Advance(TimeSpan.FromDays(20));
        await PresignAsync(host, "younger");
        await AuditTrail.WaitForAsync(host.Client, "bucket=retained", 2);

        // 31 days after the first: the next flush prunes what is older than 30 days.
        time.Advance(TimeSpan.FromDays(11));
        await PresignAsync(host, "new");
        List<string?> keys = [];
        for (DateTime deadline = DateTime.UtcNow.AddSeconds(10); DateTime.UtcNow < deadline; await Task.Delay(50))
        {
            keys = (await AuditTrail.ExportAsync(host.Client, "bucket=retained")).Select(r => r.Text("key")).ToList();
            if (keys.Contains("new") && !keys.Contains("old"))
            {
                break;
            }
        }

        Assert.Equal(["younger", "new"], keys);
    }

    private static async Task PresignAsync(SluiceTestHost host, string key)
    {
        using var response = await host.Client.GetAsync($"/aws/storage/kept/retained/{key}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
