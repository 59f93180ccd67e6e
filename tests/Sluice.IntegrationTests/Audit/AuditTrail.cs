using System.Net;
using System.Text.Json;
using Sluice.IntegrationTests.Http;
using static Sluice.IntegrationTests.Http.HttpTestSupport;

namespace Sluice.IntegrationTests.Audit;

/// <summary>Reads a server's audit trail as an admin would, waiting for the writer to catch up.</summary>
public static class AuditTrail
{
    /// <summary>Every record matching <paramref name="query"/> (e.g. <c>action=presign</c>), through the JSON-lines export.</summary>
    public static async Task<List<JsonElement>> ExportAsync(HttpClient admin, string query = "")
    {
        using var response = await admin.GetAsync("/audit/export" + (query.Length > 0 ? "?" + query : ""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        string text = await response.Content.ReadAsStringAsync();
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();
    }

    /// <summary>The records matching <paramref name="query"/> once there are <paramref name="count"/> of them (records are written off the request path, within a moment).</summary>
    public static async Task<List<JsonElement>> WaitForAsync(HttpClient admin, string query, int count, TimeSpan? within = null)
    {
        DateTime deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var records = await ExportAsync(admin, query);
            if (records.Count >= count || DateTime.UtcNow > deadline)
            {
                Assert.True(records.Count == count, $"expected {count} records for '{query}', found {records.Count}");
                return records;
            }

            await Task.Delay(50);
        }
    }

    /// <summary>The one record of the request that answered with <paramref name="response"/>'s X-Request-Id.</summary>
    public static async Task<JsonElement> OfAsync(HttpClient admin, HttpResponseMessage response)
    {
        string requestId = response.Headers.GetValues("X-Request-Id").Single();
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var found = (await ExportAsync(admin)).Where(r => r.GetProperty("requestId").GetString() == requestId).ToList();
            if (found.Count > 0 || DateTime.UtcNow > deadline)
            {
                return Assert.Single(found);
            }

            await Task.Delay(50);
        }
    }

    public static string? Text(this JsonElement record, string property) =>
        record.TryGetProperty(property, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
