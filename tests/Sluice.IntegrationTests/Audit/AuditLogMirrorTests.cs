using System.Net;
using Sluice.IntegrationTests.Http;
using static Sluice.IntegrationTests.Http.HttpTestSupport;

namespace Sluice.IntegrationTests.Audit;

/// <summary>With <c>Sluice:AuditLog</c> on, each record is also a structured log event; off (the default), none is.</summary>
public sealed class AuditLogMirrorTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Each_record_is_also_a_log_event_when_asked(bool mirror)
    {
        await using var host = await SluiceTestHost.StartAsync(settings: new Dictionary<string, string?> { ["Sluice:AuditLog"] = mirror ? "true" : "false" });
        await PutAccountAsync(host.Client, "mirrored", "region: us-east-1\naccess-key-id: AKIAMIRROR\nsecret-access-key: mirror-secret-value\n");
        using var response = await host.Client.GetAsync("/aws/storage/mirrored/logged/report.pdf");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await AuditTrail.OfAsync(host.Client, response);

        var events = host.LogEntries.Where(e => e.Contains("[6001:Audit]", StringComparison.Ordinal)).ToList();
        if (!mirror)
        {
            Assert.Empty(events);
            return;
        }

        string presign = Assert.Single(events, e => e.Contains("|Action=presign", StringComparison.Ordinal));
        Assert.Contains("|Account=mirrored", presign, StringComparison.Ordinal);
        Assert.Contains("|Bucket=logged", presign, StringComparison.Ordinal);
        Assert.Contains("|Key=report.pdf", presign, StringComparison.Ordinal);
        Assert.Contains("|Outcome=allowed", presign, StringComparison.Ordinal);
        Assert.Contains(events, e => e.Contains("|Action=account-put", StringComparison.Ordinal));
        Assert.DoesNotContain(events, e => e.Contains("mirror-secret-value", StringComparison.Ordinal) || e.Contains(host.AdminToken, StringComparison.Ordinal));
    }
}
