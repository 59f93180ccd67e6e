using System.Net;
using System.Text.Json;
using static Sluice.IntegrationTests.Http.HttpTestSupport;

namespace Sluice.IntegrationTests.Http;

/// <summary>Health, readiness, metrics, the OpenAPI document, request ids and rate limits, over real HTTP.</summary>
public sealed class ObservabilityTests(SluiceHostFixture fixture) : IClassFixture<SluiceHostFixture>
{
    private static HttpClient Anonymous(SluiceTestHost host) => new(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = host.BaseAddress };

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task Health_and_readiness_answer_without_a_token(string path)
    {
        using var client = Anonymous(fixture.Host);
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Readiness_fails_when_the_database_is_gone_and_liveness_does_not()
    {
        await using var host = await SluiceTestHost.StartAsync();
        using var client = Anonymous(host);
        foreach (string file in Directory.GetFiles(host.DataDirectory, "sluice.db*"))
        {
            File.Delete(file);
        }

        Directory.CreateDirectory(host.DatabasePath); // a directory where the database file was: no file can be opened
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools(); // pooled connections still hold the deleted file open

        using var ready = await client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        using var live = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public async Task Metrics_need_a_token_and_count_requests_by_route_and_signed_urls_by_method()
    {
        using var client = Anonymous(fixture.Host);
        using (var refused = await client.GetAsync("/metrics"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        string id = NewId("metrics");
        await PutAccountAsync(fixture.Host.Client, id, "region: us-east-1\naccess-key-id: AKIAMETRICS\nsecret-access-key: metrics-secret\n");
        double before = await SignedAsync("DELETE");
        for (int i = 0; i < 3; i++)
        {
            using var signed = await fixture.Host.Client.DeleteAsync($"/aws/storage/{id}/my-bucket/k{i}");
            Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
        }

        Assert.True(await SignedAsync("DELETE") >= before + 3); // the registry is process-wide: other test servers sign too
        string text = await fixture.Host.Client.GetStringAsync("/metrics");
        Assert.Contains("http_requests_received_total{code=\"200\",method=\"DELETE\",controller=\"\",action=\"\",endpoint=\"/aws/storage/{account}/{bucket}/{**key}\"}", text);
        Assert.Contains("http_request_duration_seconds_bucket{", text);
        Assert.Contains("sluice_credential_refreshes_total", text);
        Assert.DoesNotContain("metrics-secret", text);
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_every_endpoint_and_the_reference_page_is_served()
    {
        using var client = Anonymous(fixture.Host);
        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var paths = document.RootElement.GetProperty("paths");
        foreach (string path in new[] { "/AwsAccount/{id}", "/AwsAccount", "/AwsAccount/{id}/$check", "/aws/storage/{account}/{bucket}", "/aws/storage/{account}/{bucket}/{key}", "/tokens", "/tokens/{id}" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"{path} missing from the OpenAPI document");
        }

        using var page = await client.GetAsync("/docs/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("\"url\":\"openapi/v1.json\"", await page.Content.ReadAsStringAsync()); // resolved against the app's base path
        using var script = await client.GetAsync("/docs/scalar.js"); // served by Sluice itself: no CDN
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
    }

    [Fact]
    public async Task Every_answer_carries_a_request_id_that_the_logs_carry_too()
    {
        using var response = await fixture.Host.Client.GetAsync("/AwsAccount/no-such-account-for-request-id");
        string requestId = response.Headers.GetValues("X-Request-Id").Single();
        Assert.False(string.IsNullOrWhiteSpace(requestId));
        var problem = await ReadProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Contains(requestId, problem.GetProperty("traceId").GetString() + fixture.Host.LogText);
    }

    [Fact]
    public async Task A_flood_from_one_token_gets_429_with_a_problem_and_the_server_keeps_serving()
    {
        await using var host = await SluiceTestHost.StartAsync(settings: new Dictionary<string, string?> { ["Sluice:RateLimitPerSecond"] = "5" });
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (int i = 0; i < 40; i++)
        {
            var response = await host.Client.GetAsync("/AwsAccount");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited ??= response;
            }
        }

        Assert.Contains(HttpStatusCode.OK, statuses);
        Assert.NotNull(limited);
        Assert.Equal("1", limited.Headers.GetValues("Retry-After").Single());
        var problem = await ReadProblemAsync(limited, HttpStatusCode.TooManyRequests);
        Assert.Contains("More than 5 requests per second", problem.GetProperty("detail").GetString());

        await Task.Delay(TimeSpan.FromSeconds(1.2));
        using var after = await host.Client.GetAsync("/AwsAccount");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    private async Task<double> SignedAsync(string method)
    {
        string text = await fixture.Host.Client.GetStringAsync("/metrics");
        string prefix = $"sluice_presigned_urls_total{{method=\"{method}\"}} ";
        string? line = text.Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[prefix.Length..], System.Globalization.CultureInfo.InvariantCulture);
    }
}
