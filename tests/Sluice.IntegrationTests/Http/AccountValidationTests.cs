using System.Net;
using System.Text;
using System.Text.Json;
using static Sluice.IntegrationTests.Http.HttpTestSupport;

namespace Sluice.IntegrationTests.Http;

/// <summary>
/// Every bad <c>PUT /AwsAccount/{id}</c> is a 4xx problem that names what is wrong, stores
/// nothing, and leaves the server answering.
/// </summary>
public sealed class AccountValidationTests(SluiceHostFixture fixture) : IClassFixture<SluiceHostFixture>
{
    private const int MaxBodyBytes = 64 * 1024;

    private HttpClient Client => fixture.Client;

    public static TheoryData<string, string, string, string> BadBodies => new()
    {
        // case, Content-Type, body, the fields the problem must name (comma-separated)
        { "unknown field", "text/yaml", "region: us-east-1\nbucket: my-bucket\n", "bucket" },
        { "misspelt field", "text/yaml", "region: us-east-1\naccess-key: AKIA\nsecret-access-key: s\n", "access-key,secret-access-key" },
        { "unknown field (json)", "application/json", """{"region":"us-east-1","endpoint":"x"}""", "endpoint" },
        { "missing region", "text/yaml", "access-key-id: AKIA\nsecret-access-key: s\n", "region" },
        { "null region", "text/yaml", "region:\n", "region" },
        { "null region (json)", "application/json", """{"region":null}""", "region" },
        { "bad region (spaces)", "text/yaml", "region: US East 1\n", "region" },
        { "bad region (underscore)", "text/yaml", "region: us_east_1\n", "region" },
        { "bad region (too long)", "text/yaml", $"region: {new string('a', 65)}\n", "region" },
        { "malformed yaml (unterminated quote)", "text/yaml", "region: \"us-east-1\n", "body" },
        { "malformed yaml (unclosed flow mapping)", "text/yaml", "{region: us-east-1\n", "body" },
        { "malformed yaml (bad indentation)", "text/yaml", "region: us-east-1\n  host: minio\n bad\n", "body" },
        { "yaml that is not a mapping", "text/yaml", "just some text\n", "body" },
        { "yaml list at the top", "text/yaml", "- region: us-east-1\n", "body" },
        { "two yaml documents", "text/yaml", "region: us-east-1\n---\nregion: us-east-2\n", "body" },
        { "malformed json (trailing comma)", "application/json", """{"region":"us-east-1",}""", "body" },
        { "malformed json (truncated)", "application/json", """{"region": """, "body" },
        { "malformed json (garbage after)", "application/json", """{"region":"us-east-1"} x""", "body" },
        { "json array at the top", "application/json", """["region","us-east-1"]""", "body" },
        { "yaml sent as json", "application/json", "region: us-east-1\n", "body" },
        { "nested yaml list", "text/yaml", "region: us-east-1\nhost:\n  - a\n  - b\n", "host" },
        { "nested yaml flow list", "text/yaml", "region: [us-east-1]\n", "region" },
        { "nested yaml mapping", "text/yaml", "region: us-east-1\nhost: {name: minio, port: 9000}\n", "host" },
        { "yaml alias", "text/yaml", "region: &r us-east-1\nhost: *r\n", "host" },
        { "nested json array", "application/json", """{"region":["us-east-1"]}""", "region" },
        { "nested json object", "application/json", """{"region":"us-east-1","host":{"name":"minio"}}""", "host" },
        { "duplicate yaml field", "text/yaml", "region: us-east-1\nregion: eu-west-1\n", "region" },
        { "duplicate json field", "application/json", """{"region":"us-east-1","region":"eu-west-1"}""", "region" },
        { "duplicate json field (escaped)", "application/json", """{"region":"us-east-1","re\u0067ion":"eu-west-1"}""", "region" },
        { "host with a scheme", "text/yaml", "region: us-east-1\nhost: http://127.0.0.1:9000\n", "host" },
        { "host with https scheme", "text/yaml", "region: us-east-1\nhost: https://minio.example.com\n", "host" },
        { "host with a port over 65535", "text/yaml", "region: us-east-1\nhost: minio:99999\n", "host" },
        { "host with port 0", "text/yaml", "region: us-east-1\nhost: minio:0\n", "host" },
        { "host with a non-numeric port", "text/yaml", "region: us-east-1\nhost: minio:abc\n", "host" },
        { "host with an empty port", "text/yaml", "region: us-east-1\nhost: 'minio:'\n", "host" },
        { "host with a path", "text/yaml", "region: us-east-1\nhost: minio:9000/bucket\n", "host" },
        { "host with a user", "text/yaml", "region: us-east-1\nhost: user@minio:9000\n", "host" },
        { "host with a bad label", "text/yaml", "region: us-east-1\nhost: -minio-.local\n", "host" },
        { "host as bare ipv6", "text/yaml", "region: us-east-1\nhost: '::1'\n", "host" },
        { "secret without access key", "text/yaml", "region: us-east-1\nsecret-access-key: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n", "secret-access-key" },
        { "session token without access key", "text/yaml", "region: us-east-1\nsession-token: FwoGZXIvYXdzEBY\n", "session-token" },
        { "access key without secret", "text/yaml", "region: us-east-1\naccess-key-id: AKIAIOSFODNN7EXAMPLE\n", "secret-access-key" },
        { "secret with a space", "text/yaml", "region: us-east-1\naccess-key-id: AKIA\nsecret-access-key: 'two words'\n", "secret-access-key" },
        { "access key over 256 characters", "text/yaml", $"region: us-east-1\naccess-key-id: {new string('A', 257)}\nsecret-access-key: s\n", "access-key-id,secret-access-key" },
        { "path-style yes", "text/yaml", "region: us-east-1\npath-style: yes\n", "path-style" },
        { "path-style 1", "text/yaml", "region: us-east-1\npath-style: 1\n", "path-style" },
        { "path-style number (json)", "application/json", """{"region":"us-east-1","path-style":1}""", "path-style" },
        { "use-ssl maybe", "text/yaml", "region: us-east-1\nuse-ssl: maybe\n", "use-ssl" },
        { "id in the body differs", "text/yaml", "id: another-id\nregion: us-east-1\n", "id" },
        { "resourceType not AwsAccount", "text/yaml", "resourceType: Bucket\nregion: us-east-1\n", "resourceType" },
        { "empty body", "text/yaml", "", "body" },
        { "whitespace body", "text/yaml", " \n\t\n", "body" },
        { "comment-only yaml", "text/yaml", "# nothing here\n", "body" },
        { "empty body (json)", "application/json", "", "body" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Put_BadBody_Is400NamingTheField(string @case, string contentType, string body, string fields)
    {
        _ = @case;
        string id = NewId("bad");
        using HttpResponseMessage response = await Client.PutAsync($"/AwsAccount/{id}", Body(body, contentType));
        await AssertValidationProblemAsync(response, fields.Split(','));
        await AssertAccountAbsentAsync(Client, id);
        await AssertStillServingAsync(Client);
    }

    [Fact]
    public async Task Put_SeveralProblems_AreAllNamedAtOnce()
    {
        string id = NewId("many");
        using HttpResponseMessage response = await Client.PutAsync($"/AwsAccount/{id}", Yaml("bucket: x\nhost: http://minio\npath-style: yes\nsecret-access-key: s\n"));
        await AssertValidationProblemAsync(response, "bucket", "region", "host", "path-style", "secret-access-key");
        await AssertAccountAbsentAsync(Client, id);
    }

    [Fact]
    public async Task Put_BadBody_DoesNotChangeAnExistingAccount()
    {
        string id = NewId("kept");
        await PutAccountAsync(Client, id, "region: eu-west-1\naccess-key-id: AKIAKEPT\nsecret-access-key: kept-secret\n");
        using (HttpResponseMessage response = await Client.PutAsync($"/AwsAccount/{id}", Yaml("region: us-east-1\nhost: http://minio\n")))
        {
            await AssertValidationProblemAsync(response, "host");
        }

        using HttpResponseMessage read = await Client.GetAsync($"/AwsAccount/{id}");
        AccountApiTests.AssertAccount(await ReadJsonAsync(read, HttpStatusCode.OK), id, "eu-west-1", "AKIAKEPT", null, false, true, "access-keys", false);
    }

    [Theory]
    [InlineData(new byte[] { 0xC3, 0x28 })]
    [InlineData(new byte[] { (byte)'r', (byte)'e', (byte)'g', (byte)'i', (byte)'o', (byte)'n', (byte)':', (byte)' ', 0xFF, 0xFE })]
    [InlineData(new byte[] { (byte)'r', (byte)':', (byte)' ', 0xED, 0xA0, 0x80 })]
    public async Task Put_InvalidUtf8_Is400NamingTheBody(byte[] body)
    {
        string id = NewId("utf8");
        foreach (string contentType in new[] { "text/yaml", "application/json" })
        {
            using HttpResponseMessage response = await Client.PutAsync($"/AwsAccount/{id}", Body(body, contentType));
            await AssertValidationProblemAsync(response, "body");
        }

        await AssertAccountAbsentAsync(Client, id);
        await AssertStillServingAsync(Client);
    }

    public static TheoryData<string, string> BadIds => new()
    {
        // as sent in the path, what the server decodes it to (for the message)
        { new string('a', 65), new string('a', 65) },
        { "bad!id", "bad!id" },
        { "bad%20id", "bad id" },
        { "bad%2Fid", "bad/id" },
        { "caf%C3%A9", "café" },
        { "a~b", "a~b" },
        { "a%2Bb", "a+b" },
    };

    [Theory]
    [MemberData(nameof(BadIds))]
    public async Task InvalidId_Is400NamingTheId_OnPutGetAndDelete(string rawId, string decoded)
    {
        _ = decoded;
        using (HttpResponseMessage put = await Client.PutAsync(fixture.Host.RawUrl($"/AwsAccount/{rawId}"), Yaml("region: us-east-1\n")))
        {
            await AssertValidationProblemAsync(put, "id");
        }

        using (HttpResponseMessage get = await Client.GetAsync(fixture.Host.RawUrl($"/AwsAccount/{rawId}")))
        {
            await AssertValidationProblemAsync(get, "id");
        }

        using (HttpResponseMessage delete = await Client.DeleteAsync(fixture.Host.RawUrl($"/AwsAccount/{rawId}")))
        {
            await AssertValidationProblemAsync(delete, "id");
        }

        await AssertStillServingAsync(Client);
    }

    [Theory]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData("application/xml")]
    [InlineData("text/yaml; charset=iso-8859-1")]
    [InlineData("not a media type")]
    public async Task Put_UnsupportedContentType_Is415(string contentType)
    {
        string id = NewId("type");
        using HttpResponseMessage response = await Client.PutAsync($"/AwsAccount/{id}", Body("region: us-east-1\n", contentType));
        JsonElement problem = await ReadProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("text/yaml", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertAccountAbsentAsync(Client, id);
        await AssertStillServingAsync(Client);
    }

    [Fact]
    public async Task Put_BodyOfExactly64KiB_IsAccepted()
    {
        string id = NewId("size-ok");
        using HttpResponseMessage response = await Client.PutAsync($"/AwsAccount/{id}", Body(YamlOfSize(MaxBodyBytes), "text/yaml"));
        AccountApiTests.AssertAccount(await ReadJsonAsync(response, HttpStatusCode.Created), id, "us-east-1", null, null, false, true, "default-chain", false);
    }

    [Theory]
    [InlineData(MaxBodyBytes + 1)]
    [InlineData(200 * 1024)]
    [InlineData(1000 * 1024)]
    public async Task Put_BodyOver64KiB_WithContentLength_Is413(int size)
    {
        string id = NewId("size-cl");
        using var content = Body(YamlOfSize(size), "text/yaml");
        using HttpResponseMessage response = await Client.PutAsync($"/AwsAccount/{id}", content);
        Assert.Equal(size, response.RequestMessage!.Content!.Headers.ContentLength);
        JsonElement problem = await ReadProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("65536", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertAccountAbsentAsync(Client, id);
        await AssertStillServingAsync(Client);
    }

    [Theory]
    [InlineData(MaxBodyBytes + 1)]
    [InlineData(200 * 1024)]
    [InlineData(1000 * 1024)]
    public async Task Put_BodyOver64KiB_Chunked_Is413(int size)
    {
        string id = NewId("size-chunked");
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/AwsAccount/{id}") { Content = new ChunkedContent(YamlOfSize(size), "text/yaml") };
        using HttpResponseMessage response = await Client.SendAsync(request);
        JsonElement problem = await ReadProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("65536", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // It really went chunked: the server logged the request with no Content-Length.
        Assert.Contains(fixture.Host.LogEntries, e => e.Contains($"PUT http://{fixture.Host.BaseAddress.Authority}/AwsAccount/{id} - text/yaml -", StringComparison.Ordinal));
        await AssertAccountAbsentAsync(Client, id);
        await AssertStillServingAsync(Client);
    }

    /// <summary>
    /// Past Kestrel's own 1 MiB limit the server answers 413 and then closes the connection
    /// without reading the rest, so the client may lose the answer to a TCP reset while it is
    /// still sending. Whatever the client sees must be a 413, and the server must have finished
    /// the request with 413 and logged no error (Kestrel reads chunked bodies ahead and threw
    /// "Request body too large" into the endpoint, which answered 500).
    /// </summary>
    [Theory]
    [InlineData(2 * 1024 * 1024, false)]
    [InlineData(2 * 1024 * 1024, true)]
    [InlineData(5 * 1024 * 1024, true)]
    public async Task Put_BodyOverKestrelsLimit_Is413_NeverA500(int size, bool chunked)
    {
        string id = NewId(chunked ? "huge-chunked" : "huge-cl");
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/AwsAccount/{id}")
        {
            Content = chunked ? new ChunkedContent(YamlOfSize(size), "text/yaml") : Body(YamlOfSize(size), "text/yaml"),
        };
        try
        {
            using HttpResponseMessage response = await Client.SendAsync(request);
            await ReadProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        }
        catch (HttpRequestException)
        {
            // The connection was reset under the client's feet; the server's log says what it answered.
        }

        string finished = $"Request finished HTTP/1.1 PUT http://{fixture.Host.BaseAddress.Authority}/AwsAccount/{id} - ";
        string? entry = null;
        for (int wait = 0; wait < 100 && entry is null; wait++)
        {
            entry = fixture.Host.LogEntries.FirstOrDefault(e => e.Contains(finished, StringComparison.Ordinal));
            if (entry is null)
            {
                await Task.Delay(50);
            }
        }

        Assert.NotNull(entry);
        Assert.Contains(finished + "413 ", entry, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.Host.LogEntries, e => e.StartsWith("Error", StringComparison.Ordinal) && e.Contains($"/AwsAccount/{id}", StringComparison.Ordinal));
        await AssertAccountAbsentAsync(Client, id);
        await AssertStillServingAsync(Client);
    }

    [Theory]
    [InlineData("zz\r\nregion: us-east-1\r\n0\r\n\r\n")]
    [InlineData("5\r\nregion: us-east-1\r\n0\r\n\r\n")]
    [InlineData("FFFFFFFFFFFFFFFFFFFF\r\nregion: us-east-1\r\n0\r\n\r\n")]
    public async Task Put_MalformedChunkedFraming_Is400_NotA500(string chunkedBody)
    {
        string id = NewId("bad-chunks");
        byte[] request = Encoding.ASCII.GetBytes(
            $"PUT /AwsAccount/{id} HTTP/1.1\r\nHost: {fixture.Host.BaseAddress.Authority}\r\n{SluiceTestHost.AuthorizationLine(fixture.Host.BaseAddress)}Content-Type: text/yaml\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n{chunkedBody}");
        RawHttp.Response response = await RawHttp.SendRequestAsync(fixture.Host.BaseAddress, request);
        Assert.Equal(400, response.Status);
        Assert.Equal(ProblemJson, response.Headers["Content-Type"]);
        using (JsonDocument problem = JsonDocument.Parse(response.Body))
        {
            Assert.Equal(400, problem.RootElement.GetProperty("status").GetInt32());
            Assert.False(string.IsNullOrWhiteSpace(problem.RootElement.GetProperty("detail").GetString()));
        }

        Assert.DoesNotContain(fixture.Host.LogEntries, e => e.StartsWith("Error", StringComparison.Ordinal) && e.Contains($"/AwsAccount/{id}", StringComparison.Ordinal));
        await AssertAccountAbsentAsync(Client, id);
        await AssertStillServingAsync(Client);
    }

    [Fact]
    public async Task Put_SmallChunkedBody_IsAccepted()
    {
        string id = NewId("chunked-ok");
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/AwsAccount/{id}") { Content = new ChunkedContent(YamlOfSize(40_000), "text/yaml") };
        using HttpResponseMessage response = await Client.SendAsync(request);
        await ReadJsonAsync(response, HttpStatusCode.Created);
    }

    /// <summary>A valid account body (region us-east-1 and a comment) of exactly <paramref name="size"/> bytes.</summary>
    private static byte[] YamlOfSize(int size)
    {
        byte[] head = Encoding.UTF8.GetBytes("region: us-east-1\n#");
        byte[] body = new byte[size];
        head.CopyTo(body, 0);
        body.AsSpan(head.Length, size - head.Length - 1).Fill((byte)'x');
        body[^1] = (byte)'\n';
        return body;
    }
}
