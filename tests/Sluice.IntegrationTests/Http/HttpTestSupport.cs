using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Sluice.IntegrationTests.Http;

/// <summary>Request bodies, problem-details checks and small helpers shared by the HTTP tests.</summary>
public static class HttpTestSupport
{
    public const string ProblemJson = "application/problem+json";

    /// <summary>A body sent with exactly this Content-Type value (no charset added).</summary>
    public static HttpContent Body(string text, string? contentType) => Body(Encoding.UTF8.GetBytes(text), contentType);

    public static HttpContent Body(byte[] bytes, string? contentType)
    {
        var content = new ByteArrayContent(bytes);
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        return content;
    }

    public static HttpContent Yaml(string text) => Body(text, "text/yaml");

    public static HttpContent Json(string text) => Body(text, "application/json");

    /// <summary>Creates a token with the admin client (<c>POST /tokens</c>); its secret.</summary>
    public static async Task<string> CreateTokenAsync(HttpClient admin, string json)
    {
        using var response = await admin.PostAsync("/tokens", Json(json));
        return (await ReadJsonAsync(response, HttpStatusCode.Created)).GetProperty("token").GetString()!;
    }

    public static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 17, 64)];

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response, HttpStatusCode expectedStatus, string expectedMediaType = "application/json")
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(expectedStatus == response.StatusCode, $"expected {(int)expectedStatus}, got {(int)response.StatusCode}: {body}");
        Assert.Equal(expectedMediaType, response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }

    /// <summary>Checks an RFC 9457 body: media type, <c>status</c> equal to the HTTP status, a title and a detail.</summary>
    public static async Task<JsonElement> ReadProblemAsync(HttpResponseMessage response, HttpStatusCode expectedStatus)
    {
        JsonElement problem = await ReadJsonAsync(response, expectedStatus, ProblemJson);
        Assert.Equal(JsonValueKind.Object, problem.ValueKind);
        Assert.Equal((int)expectedStatus, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        return problem;
    }

    /// <summary>A 400 whose <c>errors</c> names exactly <paramref name="fields"/>, each with a message, and whose detail mentions them.</summary>
    public static async Task<JsonElement> AssertValidationProblemAsync(HttpResponseMessage response, params string[] fields)
    {
        JsonElement problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        JsonElement errors = problem.GetProperty("errors");
        string[] named = errors.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(fields.Order(StringComparer.Ordinal).ToArray(), named);
        foreach (JsonProperty error in errors.EnumerateObject())
        {
            Assert.Equal(JsonValueKind.Array, error.Value.ValueKind);
            Assert.NotEmpty(error.Value.EnumerateArray());
            Assert.All(error.Value.EnumerateArray(), m => Assert.False(string.IsNullOrWhiteSpace(m.GetString())));
        }

        string detail = problem.GetProperty("detail").GetString()!;
        Assert.All(fields, f => Assert.Contains(f, detail, StringComparison.Ordinal));
        return problem;
    }

    /// <summary>The server still answers after a bad request: <c>GET /AwsAccount</c> is a 200 list.</summary>
    public static async Task AssertStillServingAsync(HttpClient client)
    {
        using HttpResponseMessage response = await client.GetAsync("/AwsAccount");
        JsonElement list = await ReadJsonAsync(response, HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Array, list.GetProperty("items").ValueKind);
    }

    public static async Task<JsonElement> PutAccountAsync(HttpClient client, string id, string yaml, HttpStatusCode expected = HttpStatusCode.Created)
    {
        using HttpResponseMessage response = await client.PutAsync($"/AwsAccount/{id}", Yaml(yaml));
        return await ReadJsonAsync(response, expected);
    }

    public static async Task AssertAccountAbsentAsync(HttpClient client, string id)
    {
        using HttpResponseMessage response = await client.GetAsync($"/AwsAccount/{id}");
        await ReadProblemAsync(response, HttpStatusCode.NotFound);
    }

    /// <summary>A body of unknown length: HttpClient sends it with Transfer-Encoding: chunked.</summary>
    public sealed class ChunkedContent : HttpContent
    {
        private readonly byte[] _bytes;

        public ChunkedContent(byte[] bytes, string contentType)
        {
            _bytes = bytes;
            Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (int offset = 0; offset < _bytes.Length; offset += 8192)
            {
                await stream.WriteAsync(_bytes.AsMemory(offset, Math.Min(8192, _bytes.Length - offset)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}

/// <summary>One server for a test class; tests use their own account ids.</summary>
public sealed class SluiceHostFixture : IAsyncLifetime
{
    public SluiceTestHost Host { get; private set; } = null!;

    public HttpClient Client => Host.Client;

    public async Task InitializeAsync() => Host = await SluiceTestHost.StartAsync();

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
