using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Sluice.Server.Hosting;
using static Sluice.IntegrationTests.Http.HttpTestSupport;

namespace Sluice.IntegrationTests.Http;

/// <summary>
/// <c>POST /aws/storage/{account}/{bucket}?batch</c> on a server whose clock is frozen: 10,000 URLs
/// in one answer, each identical to what the single-key endpoint signs for the same key at the same time.
/// </summary>
public sealed class BatchPresignTests : IAsyncLifetime
{
    private const string Account = "batch";
    private const string Bucket = "batch-bucket";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 10, 30, 15, TimeSpan.Zero));
    private SluiceTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await SluiceTestHost.StartAsync(
            settings: new Dictionary<string, string?> { [$"{SluiceOptions.Section}:{nameof(SluiceOptions.RateLimitPerSecond)}"] = "0" },
            time: _time);
        await PutAccountAsync(_host.Client, Account, "region: eu-west-1\naccess-key-id: AKIAIOSFODNN7EXAMPLE\nsecret-access-key: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("GET")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task Ten_thousand_urls_equal_the_single_key_endpoints(string method)
    {
        var keys = Enumerable.Range(0, 10_000).Select(i => i % 7 == 0 ? $"photos/ü {i}/a+b&c=d.jpg" : $"photos/{i:00000}.jpg").ToList();
        using var response = await _host.Client.PostAsync($"/aws/storage/{Account}/{Bucket}?batch&expiration=900", Json(JsonSerializer.Serialize(new { method, keys })));
        JsonElement answer = await ReadJsonAsync(response, HttpStatusCode.OK);
        Assert.Equal(method, answer.GetProperty("method").GetString());
        Assert.Equal(_time.GetUtcNow().AddSeconds(900).UtcDateTime, answer.GetProperty("expiresAt").GetDateTime());
        var urls = answer.GetProperty("urls").EnumerateArray().ToList();
        Assert.Equal(keys, urls.Select(u => u.GetProperty("key").GetString()));

        // The single-key endpoints: GET and DELETE name the key in the path, PUT in the body.
        int checkedUrls = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, keys.Count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            string single = await SingleAsync(method, keys[i], ct);
            Assert.Equal(single, urls[i].GetProperty("url").GetString());
            Interlocked.Increment(ref checkedUrls);
        });
        Assert.Equal(10_000, checkedUrls);
    }

    [Theory]
    [InlineData("""{"method": "GET"}""", "keys")]
    [InlineData("""{"keys": ["a"]}""", "method")]
    [InlineData("""{"method": "POST", "keys": ["a"]}""", "method")]
    [InlineData("""{"method": "GET", "keys": []}""", "keys")]
    [InlineData("""{"method": "GET", "keys": ["a", ""]}""", "keys[1]")]
    [InlineData("""{"method": "GET", "keys": ["a", "b\u0001"]}""", "keys[1]")]
    [InlineData("""{"method": "GET", "keys": ["a"], "extra": 1}""", "extra")]
    public async Task Bad_batches_are_refused_naming_the_field(string body, string field)
    {
        using var response = await _host.Client.PostAsync($"/aws/storage/{Account}/{Bucket}?batch", Json(body));
        await AssertValidationProblemAsync(response, field);
    }

    [Fact]
    public async Task More_than_ten_thousand_keys_are_refused_and_every_key_must_be_in_the_tokens_scope()
    {
        var tooMany = Enumerable.Range(0, 10_001).Select(i => $"k{i}").ToList();
        using (var response = await _host.Client.PostAsync($"/aws/storage/{Account}/{Bucket}?batch", Json(JsonSerializer.Serialize(new { method = "GET", keys = tooMany }))))
        {
            await AssertValidationProblemAsync(response, "keys");
        }

        using var create = await _host.Client.PostAsync("/tokens", Json("""{"name":"photos","prefixes":["photos/"],"methods":["GET"]}"""));
        string token = (await ReadJsonAsync(create, HttpStatusCode.Created)).GetProperty("token").GetString()!;
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = _host.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using (var inside = await client.PostAsync($"/aws/storage/{Account}/{Bucket}?batch", Json("""{"method":"GET","keys":["photos/a.jpg","photos/b.jpg"]}""")))
        {
            Assert.Equal(HttpStatusCode.OK, inside.StatusCode);
        }

        using (var outside = await client.PostAsync($"/aws/storage/{Account}/{Bucket}?batch", Json("""{"method":"GET","keys":["photos/a.jpg","private/b.jpg"]}""")))
        {
            await ReadProblemAsync(outside, HttpStatusCode.Forbidden);
        }

        using (var put = await client.PostAsync($"/aws/storage/{Account}/{Bucket}?batch", Json("""{"method":"PUT","keys":["photos/a.jpg"]}""")))
        {
            await ReadProblemAsync(put, HttpStatusCode.Forbidden);
        }
    }

    private async Task<string> SingleAsync(string method, string key, CancellationToken cancellationToken)
    {
        HttpResponseMessage response = method == "PUT"
            ? await _host.Client.PostAsync($"/aws/storage/{Account}/{Bucket}?expiration=900", Json(JsonSerializer.Serialize(new { filename = key })), cancellationToken)
            : await _host.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), _host.RawUrl($"/aws/storage/{Account}/{Bucket}/{Escape(key)}?expiration=900")), cancellationToken);
        using (response)
        {
            return (await ReadJsonAsync(response, HttpStatusCode.OK)).GetProperty("url").GetString()!;
        }
    }

    private static string Escape(string key) => string.Join('/', key.Split('/').Select(Uri.EscapeDataString));
}
