using System.Net;
using Sluice.Core.Signing;
using static Sluice.IntegrationTests.Http.HttpTestSupport;
using Sluice.Core.Providers;

namespace Sluice.IntegrationTests.Http;

/// <summary>
/// The seed's storage API over a real listener: each answer is <c>{"url","method","expiresAt"}</c>
/// and the URL is exactly what <see cref="SigV4Presigner"/> signs for the same inputs at the
/// URL's own X-Amz-Date, for an address and an encoded key the tests spell out by hand.
/// </summary>
public sealed class PresignApiTests(SluiceHostFixture fixture) : IClassFixture<SluiceHostFixture>, IAsyncLifetime
{
    private const string AccessKey = "AKIAIOSFODNN7EXAMPLE";
    private const string SecretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static readonly SigningCredentials Keys = new(AccessKey, SecretKey);

    private readonly string _aws = NewId("aws");
    private readonly string _minio = NewId("minio");

    private HttpClient Client => fixture.Client;

    public async Task InitializeAsync()
    {
        await PutAccountAsync(Client, _aws, $"region: us-east-1\naccess-key-id: {AccessKey}\nsecret-access-key: {SecretKey}\n");
        await PutAccountAsync(Client, _minio, $"host: 127.0.0.1:9000\npath-style: true\nuse-ssl: false\nregion: us-east-1\naccess-key-id: {AccessKey}\nsecret-access-key: {SecretKey}\n");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Post_SeedYaml_SignsAnUpload()
    {
        using HttpResponseMessage response = await Client.PostAsync($"/aws/storage/{_aws}/your-bucket", Yaml("filename: documents/report.pdf\n"));
        var (url, _) = await PresignAnswer.ReadAsync(response, "PUT", 86_400);
        AssertSigned(url, ObjectMethod.Put, "https", "your-bucket.s3.us-east-1.amazonaws.com", "/", "documents/report.pdf", "documents/report.pdf", "us-east-1", Keys, 86_400);
    }

    [Fact]
    public async Task Post_Json_SignsAnUpload()
    {
        using HttpResponseMessage response = await Client.PostAsync($"/aws/storage/{_aws}/your-bucket", Json("""{"filename": "documents/report.pdf"}"""));
        var (url, _) = await PresignAnswer.ReadAsync(response, "PUT", 86_400);
        AssertSigned(url, ObjectMethod.Put, "https", "your-bucket.s3.us-east-1.amazonaws.com", "/", "documents/report.pdf", "documents/report.pdf", "us-east-1", Keys, 86_400);
    }

    [Fact]
    public async Task Post_WithoutContentType_IsReadAsYaml()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/aws/storage/{_aws}/your-bucket") { Content = Body("filename: data.txt\n", contentType: null) };
        using HttpResponseMessage response = await Client.SendAsync(request);
        var (url, _) = await PresignAnswer.ReadAsync(response, "PUT", 86_400);
        AssertSigned(url, ObjectMethod.Put, "https", "your-bucket.s3.us-east-1.amazonaws.com", "/", "data.txt", "data.txt", "us-east-1", Keys, 86_400);
    }

    [Fact]
    public async Task Post_YamlWithUtf8ByteOrderMark_SignsTheFilename()
    {
        byte[] body = [0xEF, 0xBB, 0xBF, .. System.Text.Encoding.UTF8.GetBytes("filename: notes.txt\n")];
        using HttpResponseMessage response = await Client.PostAsync($"/aws/storage/{_aws}/your-bucket", Body(body, "text/yaml"));
        var (url, _) = await PresignAnswer.ReadAsync(response, "PUT", 86_400);
        AssertSigned(url, ObjectMethod.Put, "https", "your-bucket.s3.us-east-1.amazonaws.com", "/", "notes.txt", "notes.txt", "us-east-1", Keys, 86_400);
    }

    [Fact]
    public async Task Get_SeedExample_SignsADownload()
    {
        using HttpResponseMessage response = await Client.GetAsync($"/aws/storage/{_aws}/my-bucket/documents/report.pdf");
        var (url, _) = await PresignAnswer.ReadAsync(response, "GET", 86_400);
        AssertSigned(url, ObjectMethod.Get, "https", "my-bucket.s3.us-east-1.amazonaws.com", "/", "documents/report.pdf", "documents/report.pdf", "us-east-1", Keys, 86_400);
    }

    [Fact]
    public async Task Delete_SignsADelete()
    {
        using HttpResponseMessage response = await Client.DeleteAsync($"/aws/storage/{_aws}/my-bucket/documents/2024/january/report.pdf");
        var (url, _) = await PresignAnswer.ReadAsync(response, "DELETE", 86_400);
        AssertSigned(url, ObjectMethod.Delete, "https", "my-bucket.s3.us-east-1.amazonaws.com", "/", "documents/2024/january/report.pdf", "documents/2024/january/report.pdf", "us-east-1", Keys, 86_400);
    }

    [Theory]
    [InlineData("3600", 3600)]
    [InlineData("604800", 604_800)]
    [InlineData("1", 1)]
    [InlineData("86400", 86_400)]
    public async Task Expiration_IsUsedByEveryMethod(string expiration, int seconds)
    {
        using (HttpResponseMessage post = await Client.PostAsync($"/aws/storage/{_aws}/my-bucket?expiration={expiration}", Yaml("filename: data.txt\n")))
        {
            var (url, _) = await PresignAnswer.ReadAsync(post, "PUT", seconds);
            AssertSigned(url, ObjectMethod.Put, "https", "my-bucket.s3.us-east-1.amazonaws.com", "/", "data.txt", "data.txt", "us-east-1", Keys, seconds);
        }

        using (HttpResponseMessage get = await Client.GetAsync($"/aws/storage/{_aws}/my-bucket/data.txt?expiration={expiration}"))
        {
            var (url, _) = await PresignAnswer.ReadAsync(get, "GET", seconds);
            AssertSigned(url, ObjectMethod.Get, "https", "my-bucket.s3.us-east-1.amazonaws.com", "/", "data.txt", "data.txt", "us-east-1", Keys, seconds);
        }

        using (HttpResponseMessage delete = await Client.DeleteAsync($"/aws/storage/{_aws}/my-bucket/data.txt?expiration={expiration}"))
        {
            var (url, _) = await PresignAnswer.ReadAsync(delete, "DELETE", seconds);
            AssertSigned(url, ObjectMethod.Delete, "https", "my-bucket.s3.us-east-1.amazonaws.com", "/", "data.txt", "data.txt", "us-east-1", Keys, seconds);
        }
    }

    public static TheoryData<string, string, string> Keys_AsSentInThePath => new()
    {
        // raw path after the bucket, the S3 key it means, the key as encoded in the S3 URL
        { "documents/2024/january/report.pdf", "documents/2024/january/report.pdf", "documents/2024/january/report.pdf" },
        { "a/../b", "a/../b", "a/../b" },
        { "../x", "../x", "../x" },
        { "../../../etc/passwd", "../../../etc/passwd", "../../../etc/passwd" },
        { "./a/./b", "./a/./b", "./a/./b" },
        { "x//y", "x//y", "x//y" },
        { "x///", "x///", "x///" },
        { "a/..", "a/..", "a/.." },
        { "%2e%2e/x", "../x", "../x" },
        { "a%2Fb", "a/b", "a/b" },
        { "a%2fb/c", "a/b/c", "a/b/c" },
        { "c++", "c++", "c%2B%2B" },
        { "a+b%2B", "a+b+", "a%2Bb%2B" },
        { "with%20space.txt", "with space.txt", "with%20space.txt" },
        { "caf%C3%A9.txt", "café.txt", "caf%C3%A9.txt" },
        { "%E4%B8%AD%E6%96%87/%E6%96%87%E4%BB%B6", "中文/文件", "%E4%B8%AD%E6%96%87/%E6%96%87%E4%BB%B6" },
        { "%F0%9F%98%80.png", "😀.png", "%F0%9F%98%80.png" },
        { "100%25", "100%", "100%25" },
        { "%2525", "%25", "%2525" },
        { "%2520", "%20", "%2520" },
        { "a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p.txt", "a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p.txt", "a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p.txt" },
        { "~tilde_-.", "~tilde_-.", "~tilde_-." },
        { "it's%20(here)*", "it's (here)*", "it%27s%20%28here%29%2A" },
        { "q%3Fh%23", "q?h#", "q%3Fh%23" },
        { "a=b&c;d,e:f@g$h!", "a=b&c;d,e:f@g$h!", "a%3Db%26c%3Bd%2Ce%3Af%40g%24h%21" },
        { "trailing/", "trailing/", "trailing/" },
    };

    [Theory]
    [MemberData(nameof(Keys_AsSentInThePath))]
    public async Task GetAndDelete_KeepTheKeyExactly(string rawKey, string key, string encodedKey)
    {
        foreach (ObjectMethod method in new[] { ObjectMethod.Get, ObjectMethod.Delete })
        {
            using var request = new HttpRequestMessage(method == ObjectMethod.Get ? HttpMethod.Get : HttpMethod.Delete, fixture.Host.RawUrl($"/aws/storage/{_minio}/my-bucket/{rawKey}"));
            using HttpResponseMessage response = await Client.SendAsync(request);
            var (url, _) = await PresignAnswer.ReadAsync(response, method.ToHttpMethod(), 86_400);
            AssertSigned(url, method, "http", "127.0.0.1:9000", "/my-bucket/", key, encodedKey, "us-east-1", Keys, 86_400);
        }
    }

    [Theory]
    [MemberData(nameof(Keys_AsSentInThePath))]
    public async Task Post_KeepsTheFilenameExactly(string rawKey, string key, string encodedKey)
    {
        _ = rawKey;
        string json = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["filename"] = key });
        using HttpResponseMessage response = await Client.PostAsync($"/aws/storage/{_minio}/my-bucket", Json(json));
        var (url, _) = await PresignAnswer.ReadAsync(response, "PUT", 86_400);
        AssertSigned(url, ObjectMethod.Put, "http", "127.0.0.1:9000", "/my-bucket/", key, encodedKey, "us-east-1", Keys, 86_400);
    }

    [Theory]
    [InlineData("filename: 'with space/c++ 100%.txt'\n", "with space/c++ 100%.txt", "with%20space/c%2B%2B%20100%25.txt")]
    [InlineData("filename: \"caf\\u00e9/\\u4e2d\\u6587\"\n", "café/中文", "caf%C3%A9/%E4%B8%AD%E6%96%87")]
    [InlineData("filename: /leading/slash\n", "/leading/slash", "/leading/slash")]
    [InlineData("filename: a/../b\n", "a/../b", "a/../b")]
    public async Task Post_YamlFilename_IsTheKey(string yaml, string key, string encodedKey)
    {
        using HttpResponseMessage response = await Client.PostAsync($"/aws/storage/{_aws}/my-bucket", Yaml(yaml));
        var (url, _) = await PresignAnswer.ReadAsync(response, "PUT", 86_400);
        AssertSigned(url, ObjectMethod.Put, "https", "my-bucket.s3.us-east-1.amazonaws.com", "/", key, encodedKey, "us-east-1", Keys, 86_400);
    }

    /// <summary>
    /// The same keys written byte for byte on a socket, in origin form and in absolute form
    /// (<c>GET http://host/aws/storage/...</c>), so no client library can have tidied them.
    /// </summary>
    [Theory]
    [InlineData("a/../b", "a/../b", "a/../b")]
    [InlineData("../x", "../x", "../x")]
    [InlineData("./x/.././y//z", "./x/.././y//z", "./x/.././y//z")]
    [InlineData("a%2Fb+c%20d%25", "a/b+c d%", "a/b%2Bc%20d%25")]
    public async Task RawSocket_OriginAndAbsoluteForm_KeepTheKeyExactly(string rawKey, string key, string encodedKey)
    {
        foreach (string target in new[] { $"/aws/storage/{_minio}/my-bucket/{rawKey}?expiration=60", $"http://{fixture.Host.BaseAddress.Authority}/aws/storage/{_minio}/my-bucket/{rawKey}?expiration=60" })
        {
            RawHttp.Response response = await RawHttp.SendAsync(fixture.Host.BaseAddress, "GET", target);
            Assert.True(response.Status == 200, $"{target}: {response.Status} {response.Body}");
            Assert.StartsWith("application/json", response.Headers["Content-Type"], StringComparison.Ordinal);
            using var json = System.Text.Json.JsonDocument.Parse(response.Body);
            var url = PresignedUrl.Parse(json.RootElement.GetProperty("url").GetString()!);
            Assert.Equal("GET", json.RootElement.GetProperty("method").GetString());
            AssertSigned(url, ObjectMethod.Get, "http", "127.0.0.1:9000", "/my-bucket/", key, encodedKey, "us-east-1", Keys, 60);
        }
    }

    [Fact]
    public async Task Key_OfExactly1024Bytes_IsAccepted()
    {
        string key = new string('k', 1022) + "é"; // 1022 + 2 bytes
        string encoded = new string('k', 1022) + "%C3%A9";
        using HttpResponseMessage response = await Client.GetAsync(fixture.Host.RawUrl($"/aws/storage/{_minio}/my-bucket/{encoded}"));
        var (url, _) = await PresignAnswer.ReadAsync(response, "GET", 86_400);
        AssertSigned(url, ObjectMethod.Get, "http", "127.0.0.1:9000", "/my-bucket/", key, encoded, "us-east-1", Keys, 86_400);
    }

    public static TheoryData<string, string, string, string, string, string> Addressing => new()
    {
        // account body (keys are added), bucket, scheme, signed authority, path prefix, region
        { "region: us-east-1\nhost: 127.0.0.1:9000\npath-style: true\nuse-ssl: false\n", "bucket", "http", "127.0.0.1:9000", "/bucket/", "us-east-1" },
        { "region: us-east-1\n", "my-bucket", "https", "my-bucket.s3.us-east-1.amazonaws.com", "/", "us-east-1" },
        { "region: eu-central-1\n", "my-bucket", "https", "my-bucket.s3.eu-central-1.amazonaws.com", "/", "eu-central-1" },
        { "region: cn-north-1\n", "my-bucket", "https", "my-bucket.s3.cn-north-1.amazonaws.com.cn", "/", "cn-north-1" },
        { "region: us-east-1\npath-style: true\n", "my-bucket", "https", "s3.us-east-1.amazonaws.com", "/my-bucket/", "us-east-1" },
        { "region: us-east-1\n", "my.dotted.bucket", "https", "s3.us-east-1.amazonaws.com", "/my.dotted.bucket/", "us-east-1" },
        { "region: us-west-2\nhost: minio.example.com:9443\n", "my-bucket", "https", "my-bucket.minio.example.com:9443", "/", "us-west-2" },
        { "region: us-west-2\nhost: minio.example.com:9443\n", "my.dotted.bucket", "https", "minio.example.com:9443", "/my.dotted.bucket/", "us-west-2" },
        { "region: us-west-2\nhost: minio.example.com:443\n", "my-bucket", "https", "my-bucket.minio.example.com", "/", "us-west-2" },
        { "region: us-west-2\nhost: minio.example.com:80\nuse-ssl: false\n", "my-bucket", "http", "my-bucket.minio.example.com", "/", "us-west-2" },
        { "region: us-west-2\nhost: minio.example.com:80\n", "my-bucket", "https", "my-bucket.minio.example.com:80", "/", "us-west-2" },
        { "region: us-east-1\nhost: 10.0.0.5:7480\nuse-ssl: false\n", "bucket", "http", "10.0.0.5:7480", "/bucket/", "us-east-1" },
        { "region: us-east-1\nhost: '[::1]:9000'\nuse-ssl: false\npath-style: true\n", "bucket", "http", "[::1]:9000", "/bucket/", "us-east-1" },
    };

    [Theory]
    [MemberData(nameof(Addressing))]
    public async Task Address_FollowsTheAccount(string accountYaml, string bucket, string scheme, string authority, string pathPrefix, string region)
    {
        string id = NewId("addr");
        await PutAccountAsync(Client, id, accountYaml + $"access-key-id: {AccessKey}\nsecret-access-key: {SecretKey}\n");
        using HttpResponseMessage response = await Client.GetAsync($"/aws/storage/{id}/{bucket}/dir/key%20one.txt?expiration=900");
        var (url, _) = await PresignAnswer.ReadAsync(response, "GET", 900);
        AssertSigned(url, ObjectMethod.Get, scheme, authority, pathPrefix, "dir/key one.txt", "dir/key%20one.txt", region, Keys, 900);
    }

    [Fact]
    public async Task SessionToken_IsSignedIntoTheUrl()
    {
        string id = NewId("sts");
        const string token = "FwoGZXIvYXdzEBYaDH+temporary/token==";
        await PutAccountAsync(Client, id, $"region: eu-west-1\naccess-key-id: ASIATEMPORARY\nsecret-access-key: {SecretKey}\nsession-token: {token}\n");
        using HttpResponseMessage response = await Client.GetAsync($"/aws/storage/{id}/my-bucket/report.pdf");
        var (url, _) = await PresignAnswer.ReadAsync(response, "GET", 86_400);
        Assert.Equal("FwoGZXIvYXdzEBYaDH%2Btemporary%2Ftoken%3D%3D", url["X-Amz-Security-Token"]);
        AssertSigned(url, ObjectMethod.Get, "https", "my-bucket.s3.eu-west-1.amazonaws.com", "/", "report.pdf", "report.pdf", "eu-west-1", new SigningCredentials("ASIATEMPORARY", SecretKey, token), 86_400);
    }

    [Fact]
    public async Task LongestKeysAndToken_AreSigned()
    {
        string id = NewId("longest");
        string accessKey = "AK+/=!*'()" + new string('A', 246);
        string secret = "s+/=!@#$%^&*()[]{}|;:,.<>?`~" + new string('s', 228);
        string token = string.Concat(Enumerable.Range(0, 8192).Select(i => (char)('!' + (i % 94))));
        Assert.Equal(256, accessKey.Length);
        Assert.Equal(256, secret.Length);
        string json = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["region"] = "ap-northeast-1", ["access-key-id"] = accessKey, ["secret-access-key"] = secret, ["session-token"] = token,
        });
        using (HttpResponseMessage created = await Client.PutAsync($"/AwsAccount/{id}", Json(json)))
        {
            await ReadJsonAsync(created, HttpStatusCode.Created);
        }

        // 256 four-byte characters: a key of exactly 1024 bytes, 3072 characters once encoded.
        string key = string.Concat(Enumerable.Repeat("😀", 256));
        string encodedKey = string.Concat(Enumerable.Repeat("%F0%9F%98%80", 256));
        using HttpResponseMessage response = await Client.GetAsync(fixture.Host.RawUrl($"/aws/storage/{id}/my-bucket/{encodedKey}"));
        var (url, _) = await PresignAnswer.ReadAsync(response, "GET", 86_400);
        Assert.Equal(Uri.EscapeDataString(token), url["X-Amz-Security-Token"]);
        AssertSigned(url, ObjectMethod.Get, "https", "my-bucket.s3.ap-northeast-1.amazonaws.com", "/", key, encodedKey, "ap-northeast-1", new SigningCredentials(accessKey, secret, token), 86_400);
    }

    [Fact]
    public async Task ReplacedAccount_SignsWithTheNewKeys()
    {
        string id = NewId("rekey");
        await PutAccountAsync(Client, id, $"region: us-east-1\naccess-key-id: {AccessKey}\nsecret-access-key: {SecretKey}\n");
        await PutAccountAsync(Client, id, "region: us-east-2\naccess-key-id: AKIANEWKEY\nsecret-access-key: new-secret-key\n", HttpStatusCode.OK);
        using HttpResponseMessage response = await Client.GetAsync($"/aws/storage/{id}/my-bucket/k");
        var (url, _) = await PresignAnswer.ReadAsync(response, "GET", 86_400);
        AssertSigned(url, ObjectMethod.Get, "https", "my-bucket.s3.us-east-2.amazonaws.com", "/", "k", "k", "us-east-2", new SigningCredentials("AKIANEWKEY", "new-secret-key"), 86_400);
    }

    /// <summary>
    /// The URL is, as a whole string, what the signer makes of these inputs at the URL's own
    /// X-Amz-Date; its address, path and credential scope are also checked against the values
    /// written by hand, so the test does not only trust the server's addressing.
    /// </summary>
    internal static void AssertSigned(PresignedUrl url, ObjectMethod method, string scheme, string authority, string pathPrefix, string key, string encodedKey, string region, SigningCredentials credentials, int seconds)
    {
        Assert.Equal(scheme, url.Scheme);
        Assert.Equal(authority, url.Authority);
        Assert.Equal(pathPrefix + encodedKey, url.Path);
        Assert.StartsWith($"{scheme}://{authority}{pathPrefix}{encodedKey}?X-Amz-Algorithm=AWS4-HMAC-SHA256&", url.Url, StringComparison.Ordinal);
        Assert.Equal($"{Uri.EscapeDataString(credentials.AccessKeyId)}%2F{url.SignedAt:yyyyMMdd}%2F{region}%2Fs3%2Faws4_request", url["X-Amz-Credential"]);
        Assert.Equal(url.Resign(method, scheme, authority, pathPrefix, key, region, credentials, seconds), url.Url);
    }
}
