using System.Net;
using System.Text;
using System.Text.Json;
using static Sluice.IntegrationTests.Http.HttpTestSupport;

namespace Sluice.IntegrationTests.Http;

/// <summary>
/// Bad presign requests get a 4xx problem that names what is wrong (never a 5xx, never a URL),
/// and the server keeps answering.
/// </summary>
public sealed class PresignValidationTests(SluiceHostFixture fixture) : IClassFixture<SluiceHostFixture>, IAsyncLifetime
{
    private readonly string _account = NewId("keys");

    private HttpClient Client => fixture.Client;

    public Task InitializeAsync() => PutAccountAsync(Client, _account, "region: us-east-1\naccess-key-id: AKIAVALIDATION\nsecret-access-key: validation-secret\n");

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task UnknownAccount_Is404_ForEveryMethod()
    {
        string missing = NewId("missing");
        using (HttpResponseMessage get = await Client.GetAsync($"/aws/storage/{missing}/my-bucket/file.txt"))
        {
            JsonElement problem = await ReadProblemAsync(get, HttpStatusCode.NotFound);
            Assert.Equal($"No AwsAccount with id '{missing}'.", problem.GetProperty("detail").GetString());
        }

        using (HttpResponseMessage delete = await Client.DeleteAsync($"/aws/storage/{missing}/my-bucket/file.txt"))
        {
            await ReadProblemAsync(delete, HttpStatusCode.NotFound);
        }

        using (HttpResponseMessage post = await Client.PostAsync($"/aws/storage/{missing}/my-bucket", Yaml("filename: file.txt\n")))
        {
            await ReadProblemAsync(post, HttpStatusCode.NotFound);
        }

        await AssertStillServingAsync(Client);
    }

    [Fact]
    public async Task DeletedAccount_Is404()
    {
        string id = NewId("gone");
        await PutAccountAsync(Client, id, "region: us-east-1\naccess-key-id: AKIAGONE\nsecret-access-key: gone-secret\n");
        using (HttpResponseMessage ok = await Client.GetAsync($"/aws/storage/{id}/my-bucket/file.txt"))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using (HttpResponseMessage deleted = await Client.DeleteAsync($"/AwsAccount/{id}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        using HttpResponseMessage response = await Client.GetAsync($"/aws/storage/{id}/my-bucket/file.txt");
        await ReadProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("bad!account")]
    [InlineData("sp%20ace")]
    public async Task InvalidAccountId_Is400NamingTheAccount(string account)
    {
        using HttpResponseMessage response = await Client.GetAsync(fixture.Host.RawUrl($"/aws/storage/{account}/my-bucket/file.txt"));
        await AssertValidationProblemAsync(response, "account");
        await AssertStillServingAsync(Client);
    }

    [Theory]
    [InlineData("A")]
    [InlineData("ab")]
    [InlineData("My-Bucket")]
    [InlineData("-bad-")]
    [InlineData("bad-")]
    [InlineData("a..b")]
    [InlineData("a.-b")]
    [InlineData("192.168.1.1")]
    [InlineData("under_score")]
    [InlineData("xn--bucket")]
    [InlineData("bucket-s3alias")]
    [InlineData("sp%20ace")]
    [InlineData("toolongtoolongtoolongtoolongtoolongtoolongtoolongtoolongtoolong1")]
    public async Task InvalidBucket_Is400NamingTheBucket_ForEveryMethod(string bucket)
    {
        using (HttpResponseMessage get = await Client.GetAsync(fixture.Host.RawUrl($"/aws/storage/{_account}/{bucket}/file.txt")))
        {
            await AssertValidationProblemAsync(get, "bucket");
        }

        using (HttpResponseMessage delete = await Client.DeleteAsync(fixture.Host.RawUrl($"/aws/storage/{_account}/{bucket}/file.txt")))
        {
            await AssertValidationProblemAsync(delete, "bucket");
        }

        using (HttpResponseMessage post = await Client.PostAsync(fixture.Host.RawUrl($"/aws/storage/{_account}/{bucket}"), Yaml("filename: file.txt\n")))
        {
            await AssertValidationProblemAsync(post, "bucket");
        }

        await AssertStillServingAsync(Client);
    }

    [Fact]
    public async Task InvalidBucket_OnAnUnknownAccount_Is400NotA404()
    {
        using HttpResponseMessage response = await Client.GetAsync($"/aws/storage/{NewId("missing")}/A/file.txt");
        await AssertValidationProblemAsync(response, "bucket");
    }

    [Theory]
    [InlineData(1025, "k")]
    [InlineData(513, "%C3%A9")] // 1026 bytes
    [InlineData(3000, "k")]
    public async Task KeyOver1024Bytes_InThePath_Is400(int count, string unit)
    {
        string rawKey = string.Concat(Enumerable.Repeat(unit, count));
        using (HttpResponseMessage get = await Client.GetAsync(fixture.Host.RawUrl($"/aws/storage/{_account}/my-bucket/{rawKey}")))
        {
            await AssertValidationProblemAsync(get, "path");
        }

        using (HttpResponseMessage delete = await Client.DeleteAsync(fixture.Host.RawUrl($"/aws/storage/{_account}/my-bucket/{rawKey}")))
        {
            await AssertValidationProblemAsync(delete, "path");
        }

        await AssertStillServingAsync(Client);
    }

    [Fact]
    public async Task FilenameOver1024Bytes_Is400()
    {
        using HttpResponseMessage response = await Client.PostAsync($"/aws/storage/{_account}/my-bucket", Yaml($"filename: {new string('f', 1025)}\n"));
        JsonElement problem = await AssertValidationProblemAsync(response, "filename");
        Assert.Contains("1024", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertStillServingAsync(Client);
    }

    [Theory]
    [InlineData("a%01b")]
    [InlineData("%7F")]
    [InlineData("tab%09here")]
    [InlineData("new%0Aline")]
    [InlineData("c1%C2%85")]
    public async Task ControlCharacterInThePath_Is400(string rawKey)
    {
        using (HttpResponseMessage get = await Client.GetAsync(fixture.Host.RawUrl($"/aws/storage/{_account}/my-bucket/{rawKey}")))
        {
            await AssertValidationProblemAsync(get, "path");
        }

        using (HttpResponseMessage delete = await Client.DeleteAsync(fixture.Host.RawUrl($"/aws/storage/{_account}/my-bucket/{rawKey}")))
        {
            await AssertValidationProblemAsync(delete, "path");
        }

        await AssertStillServingAsync(Client);
    }

    [Theory]
    [InlineData("application/json", """{"filename": "a\u0001b"}""")]
    [InlineData("application/json", """{"filename": "line\nbreak"}""")]
    [InlineData("text/yaml", "filename: \"a\\x01b\"\n")]
    [InlineData("text/yaml", "filename: \"a\\u0001b\"\n")]
    [InlineData("text/yaml", "filename: \"line\\nbreak\"\n")]
    public async Task ControlCharacterInTheFilename_Is400(string contentType, string body)
    {
        using HttpResponseMessage response = await Client.PostAsync($"/aws/storage/{_account}/my-bucket", Body(body, contentType));
        await AssertValidationProblemAsync(response, "filename");
        await AssertStillServingAsync(Client);
    }

    [Theory]
    [InlineData("%zz")]
    [InlineData("a%2")]
    [InlineData("%C3")]
    [InlineData("%FF%FE")]
    [InlineData("%ED%A0%80")]
    public async Task MalformedPercentEncodingOrUtf8_InThePath_Is400(string rawKey)
    {
        using HttpResponseMessage response = await Client.GetAsync(fixture.Host.RawUrl($"/aws/storage/{_account}/my-bucket/{rawKey}"));
        await AssertValidationProblemAsync(response, "path");
        await AssertStillServingAsync(Client);
    }

    [Theory]
    [InlineData("/aws/storage/{0}/my-bucket/")]
    [InlineData("/aws/storage/{0}/my-bucket")]
    public async Task EmptyKeyInThePath_Is400(string path)
    {
        using HttpResponseMessage response = await Client.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, path, _account));
        await AssertValidationProblemAsync(response, "path");
    }

    // Leaving filename out asks for a generated key (RedirectsAndGeneratedKeysTests); giving it empty is a mistake.
    [Theory]
    [InlineData("text/yaml", "filename:\n")]
    [InlineData("text/yaml", "filename: ~\n")]
    [InlineData("text/yaml", "filename: ''\n")]
    [InlineData("application/json", """{"filename": ""}""")]
    [InlineData("application/json", """{"filename": null}""")]
    public async Task EmptyFilename_Is400(string contentType, string body)
    {
        using HttpResponseMessage response = await Client.PostAsync($"/aws/storage/{_account}/my-bucket", Body(body, contentType));
        await AssertValidationProblemAsync(response, "filename");
        await AssertStillServingAsync(Client);
    }

    [Theory]
    [InlineData("text/yaml", "other: x\n", "other")]
    [InlineData("text/yaml", "filename: a.txt\nsize: 3\n", "size")]
    [InlineData("application/json", """{"filename": "a.txt", "content-type": "text/plain"}""", "content-type")]
    [InlineData("text/yaml", "filename: a.txt\nexpiration: 60\n", "expiration")]
    [InlineData("text/yaml", "filename: [a.txt]\n", "filename")]
    [InlineData("application/json", """{"filename": {"name": "a.txt"}}""", "filename")]
    [InlineData("text/yaml", "filename: a.txt\nfilename: b.txt\n", "filename")]
    [InlineData("text/yaml", "filename: 'a.txt\n", "body")]
    [InlineData("application/json", """{"filename": "a.txt" """, "body")]
    [InlineData("text/yaml", "", "body")]
    [InlineData("text/yaml", "just-a-key\n", "body")]
    public async Task BadUploadBody_Is400NamingTheField(string contentType, string body, string field)
    {
        using HttpResponseMessage response = await Client.PostAsync($"/aws/storage/{_account}/my-bucket", Body(body, contentType));
        await AssertValidationProblemAsync(response, field);
        await AssertStillServingAsync(Client);
    }

    [Fact]
    public async Task UploadBody_InvalidUtf8_Is400()
    {
        using HttpResponseMessage response = await Client.PostAsync($"/aws/storage/{_account}/my-bucket", Body(new byte[] { (byte)'f', (byte)':', (byte)' ', 0xC3, 0x28 }, "text/yaml"));
        await AssertValidationProblemAsync(response, "body");
    }

    [Fact]
    public async Task UploadBody_UnsupportedContentType_Is415()
    {
        using HttpResponseMessage response = await Client.PostAsync($"/aws/storage/{_account}/my-bucket", Body("filename=a.txt", "application/x-www-form-urlencoded"));
        await ReadProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
        await AssertStillServingAsync(Client);
    }

    [Fact]
    public async Task UploadBody_Over64KiB_Is413_WithContentLengthAndChunked()
    {
        byte[] big = Encoding.UTF8.GetBytes("filename: a.txt\n#" + new string('x', 70_000) + "\n");
        using (HttpResponseMessage response = await Client.PostAsync($"/aws/storage/{_account}/my-bucket", Body(big, "text/yaml")))
        {
            await ReadProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        }

        using (var request = new HttpRequestMessage(HttpMethod.Post, $"/aws/storage/{_account}/my-bucket") { Content = new ChunkedContent(big, "text/yaml") })
        using (HttpResponseMessage response = await Client.SendAsync(request))
        {
            await ReadProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        }

        await AssertStillServingAsync(Client);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("604801")]
    [InlineData("99999999999999999999")]
    [InlineData("abc")]
    [InlineData("1.5")]
    [InlineData("1e3")]
    [InlineData("%2B60")]
    [InlineData("%2060")]
    [InlineData("0x10")]
    [InlineData("")]
    [InlineData("3600&expiration=3600")]
    [InlineData("1&expiration=2")]
    public async Task BadExpiration_Is400_ForEveryMethod(string expiration)
    {
        using (HttpResponseMessage get = await Client.GetAsync(fixture.Host.RawUrl($"/aws/storage/{_account}/my-bucket/file.txt?expiration={expiration}")))
        {
            await AssertValidationProblemAsync(get, "expiration");
        }

        using (HttpResponseMessage delete = await Client.DeleteAsync(fixture.Host.RawUrl($"/aws/storage/{_account}/my-bucket/file.txt?expiration={expiration}")))
        {
            await AssertValidationProblemAsync(delete, "expiration");
        }

        using (HttpResponseMessage post = await Client.PostAsync(fixture.Host.RawUrl($"/aws/storage/{_account}/my-bucket?expiration={expiration}"), Yaml("filename: file.txt\n")))
        {
            await AssertValidationProblemAsync(post, "expiration");
        }

        await AssertStillServingAsync(Client);
    }

    [Fact]
    public async Task SeveralProblems_AreNamedTogether()
    {
        using HttpResponseMessage response = await Client.GetAsync(fixture.Host.RawUrl($"/aws/storage/{_account}/A/a%01b?expiration=0"));
        await AssertValidationProblemAsync(response, "bucket", "path", "expiration");
    }

    [Fact]
    public async Task AccountWithoutKeys_Is503WithAProblemThatNamesTheSource()
    {
        string id = NewId("default-chain");
        await PutAccountAsync(Client, id, "region: us-east-1\n");
        foreach (var send in new Func<Task<HttpResponseMessage>>[]
        {
            () => Client.GetAsync($"/aws/storage/{id}/my-bucket/file.txt"),
            () => Client.DeleteAsync($"/aws/storage/{id}/my-bucket/file.txt"),
            () => Client.PostAsync($"/aws/storage/{id}/my-bucket", Yaml("filename: file.txt\n")),
        })
        {
            using HttpResponseMessage response = await send();
            JsonElement problem = await ReadProblemAsync(response, HttpStatusCode.ServiceUnavailable);
            Assert.False(problem.TryGetProperty("url", out _));
            string raw = problem.GetRawText();
            Assert.DoesNotContain("X-Amz-", raw, StringComparison.Ordinal);
            Assert.DoesNotContain("validation-secret", raw, StringComparison.Ordinal);
        }

        await AssertStillServingAsync(Client);
    }

    [Fact]
    public async Task UnsupportedMethods_AreRefusedWith4xx()
    {
        using (HttpResponseMessage put = await Client.PutAsync($"/aws/storage/{_account}/my-bucket/file.txt", Yaml("filename: x\n")))
        {
            Assert.Equal(HttpStatusCode.MethodNotAllowed, put.StatusCode);
        }

        using (HttpResponseMessage post = await Client.PostAsync($"/aws/storage/{_account}/my-bucket/file.txt", Yaml("filename: x\n")))
        {
            Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        }

        await AssertStillServingAsync(Client);
    }

    [Fact]
    public async Task RawNonAsciiBytesInTheRequestTarget_AreA400()
    {
        RawHttp.Response response = await RawHttp.SendAsync(fixture.Host.BaseAddress, "GET", $"/aws/storage/{_account}/my-bucket/caf\u00e9");
        Assert.Equal(400, response.Status);
        await AssertStillServingAsync(Client);
    }
}
