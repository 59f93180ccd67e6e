using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Amazon.S3.Model;
using Sluice.Core.Signing;
using Sluice.Core.Providers;

namespace Sluice.IntegrationTests.S3;

/// <summary>
/// Our presigner against a real S3 server that checks SigV4 strictly: plain HTTP requests to
/// the URLs we sign must do what they say, keys must arrive exactly as meant (checked with
/// the AWS SDK's listing), and every URL that is not exactly what was signed must be refused.
/// </summary>
[Collection(RadosGatewayCollection.Name)]
public sealed class PresignedUrlsOnRadosGatewayTests(RadosGatewayFixture gateway)
{
    [Fact]
    public async Task PresignedPutGetDelete_RoundTripTheBytes()
    {
        string key = $"round-trip/{Guid.NewGuid():N}.bin";
        byte[] body = RandomNumberGenerator.GetBytes(70_000);

        using (HttpResponseMessage put = await gateway.SendAsync(HttpMethod.Put, gateway.Presign(ObjectMethod.Put, key), body))
        {
            await AssertStatus(HttpStatusCode.OK, put);
        }

        using (HttpResponseMessage get = await gateway.SendAsync(HttpMethod.Get, gateway.Presign(ObjectMethod.Get, key)))
        {
            await AssertStatus(HttpStatusCode.OK, get);
            Assert.Equal(body, await get.Content.ReadAsByteArrayAsync());
        }

        using (HttpResponseMessage delete = await gateway.SendAsync(HttpMethod.Delete, gateway.Presign(ObjectMethod.Delete, key)))
        {
            await AssertStatus(HttpStatusCode.NoContent, delete);
        }

        using (HttpResponseMessage gone = await gateway.SendAsync(HttpMethod.Get, gateway.Presign(ObjectMethod.Get, key)))
        {
            await AssertStatus(HttpStatusCode.NotFound, gone);
            Assert.Contains("NoSuchKey", await gone.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Empty(await StoredKeysContaining(key));
    }

    /// <summary>
    /// Each key is stored under exactly the bytes we meant ({0} is replaced by a token unique
    /// to the run, so the listing can find what the server made of the key).
    /// </summary>
    [Theory]
    [InlineData("{0}/with space/and  two spaces.txt")]
    [InlineData("{0}/plus+sign+c++")]
    [InlineData("{0}/percent%20not%2Fdecoded%25%")]
    [InlineData("{0}/unicodé/日本語/😀/ß Ω e\u0301 nbsp\u00A0zwsp\u200B")]
    [InlineData("{0}/~tilde~/a~b")]
    [InlineData("{0}/it's (here)")]
    [InlineData("{0}/a/b/c/d/e/f/g/h.txt")]
    [InlineData("{0}/double//slash///three")]
    [InlineData("{0}/a/../b")]
    [InlineData("{0}/./dot/.")]
    [InlineData("/{0}/leading-slash")]
    [InlineData("{0}/trailing-slash/")]
    [InlineData("{0}/punctuation !*&=?#:@,;$[]{}^`|\\\"<>")]
    public async Task Key_RoundTripsExactly(string template)
    {
        string key = template.Replace("{0}", "t" + Guid.NewGuid().ToString("N")[..12], StringComparison.Ordinal);
        byte[] body = Encoding.UTF8.GetBytes("contents of " + key);

        using (HttpResponseMessage put = await gateway.SendAsync(HttpMethod.Put, gateway.Presign(ObjectMethod.Put, key), body))
        {
            await AssertStatus(HttpStatusCode.OK, put);
        }

        string token = key.Split('/', StringSplitOptions.RemoveEmptyEntries)[0];
        IReadOnlyList<string> stored = await StoredKeysContaining(token);
        string storedKey = Assert.Single(stored);
        Assert.True(
            Encoding.UTF8.GetBytes(key).AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(storedKey)),
            $"stored as \"{storedKey}\" ({Convert.ToHexString(Encoding.UTF8.GetBytes(storedKey))}), meant \"{key}\" ({Convert.ToHexString(Encoding.UTF8.GetBytes(key))})");

        using (HttpResponseMessage get = await gateway.SendAsync(HttpMethod.Get, gateway.Presign(ObjectMethod.Get, key)))
        {
            await AssertStatus(HttpStatusCode.OK, get);
            Assert.Equal(body, await get.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task TamperedSignature_IsRefused()
    {
        string key = await StoreAsync("tampered");
        string url = gateway.Presign(ObjectMethod.Get, key);
        char last = url[^1];
        string tampered = url[..^1] + (last == '0' ? '1' : '0');

        using HttpResponseMessage response = await gateway.SendAsync(HttpMethod.Get, tampered);
        await AssertRefused(response);

        using HttpResponseMessage control = await gateway.SendAsync(HttpMethod.Get, url);
        await AssertStatus(HttpStatusCode.OK, control);
    }

    [Fact]
    public async Task UrlForAnotherKey_IsRefused()
    {
        string signedFor = await StoreAsync("signed-for");
        string other = await StoreAsync("other");
        string url = gateway.Presign(ObjectMethod.Get, signedFor);
        string otherUrl = gateway.Presign(ObjectMethod.Get, other);

        // The other key's path with the signed key's query (and signature).
        string swapped = otherUrl[..otherUrl.IndexOf('?', StringComparison.Ordinal)] + url[url.IndexOf('?', StringComparison.Ordinal)..];
        Assert.NotEqual(url, swapped);

        using HttpResponseMessage response = await gateway.SendAsync(HttpMethod.Get, swapped);
        await AssertRefused(response);

        // Control: each URL opens the key it was signed for.
        foreach (string good in new[] { url, otherUrl })
        {
            using HttpResponseMessage control = await gateway.SendAsync(HttpMethod.Get, good);
            await AssertStatus(HttpStatusCode.OK, control);
        }
    }

    [Fact]
    public async Task GetUrlUsedForPut_IsRefusedAndChangesNothing()
    {
        string key = await StoreAsync("get-for-put");
        string url = gateway.Presign(ObjectMethod.Get, key);

        using HttpResponseMessage response = await gateway.SendAsync(HttpMethod.Put, url, "overwritten"u8.ToArray());
        await AssertRefused(response);

        using GetObjectResponse stored = await gateway.S3.GetObjectAsync(gateway.Bucket, key);
        using var reader = new StreamReader(stored.ResponseStream);
        Assert.Equal("stored " + key, await reader.ReadToEndAsync());
    }

    [Fact]
    public async Task ExpiredUrl_IsRefused()
    {
        string key = await StoreAsync("expired");
        DateTimeOffset twoMinutesAgo = DateTimeOffset.UtcNow.AddSeconds(-120);

        using HttpResponseMessage expired = await gateway.SendAsync(
            HttpMethod.Get, gateway.Presign(ObjectMethod.Get, key, expiresInSeconds: 60, signingTime: twoMinutesAgo));
        await AssertRefused(expired);

        // Control: the same signing time with time left is accepted, so it was the expiry that was refused.
        using HttpResponseMessage valid = await gateway.SendAsync(
            HttpMethod.Get, gateway.Presign(ObjectMethod.Get, key, expiresInSeconds: 600, signingTime: twoMinutesAgo));
        await AssertStatus(HttpStatusCode.OK, valid);
    }

    [Fact]
    public async Task WrongSecret_IsRefused()
    {
        string key = await StoreAsync("wrong-secret");
        var wrong = new SigningCredentials(gateway.Credentials.AccessKeyId, gateway.Credentials.SecretAccessKey + "x");

        using HttpResponseMessage get = await gateway.SendAsync(HttpMethod.Get, gateway.Presign(ObjectMethod.Get, key, credentials: wrong));
        await AssertRefused(get);

        using HttpResponseMessage put = await gateway.SendAsync(
            HttpMethod.Put, gateway.Presign(ObjectMethod.Put, key + ".new", credentials: wrong), "x"u8.ToArray());
        await AssertRefused(put);
        Assert.Empty(await StoredKeysContaining(key + ".new"));

        using HttpResponseMessage control = await gateway.SendAsync(HttpMethod.Get, gateway.Presign(ObjectMethod.Get, key));
        await AssertStatus(HttpStatusCode.OK, control);
    }

    [Fact]
    public async Task UnknownAccessKey_IsRefused()
    {
        string key = await StoreAsync("unknown-access-key");
        var unknown = new SigningCredentials("SLUICENOSUCHACCESSKEY", gateway.Credentials.SecretAccessKey);

        using HttpResponseMessage response = await gateway.SendAsync(HttpMethod.Get, gateway.Presign(ObjectMethod.Get, key, credentials: unknown));
        await AssertRefused(response, "InvalidAccessKeyId");
    }

    /// <summary>
    /// What the tests above rely on: <see cref="RadosGatewayFixture.SendAsync"/> puts the URL's
    /// path and query on the wire byte for byte, where a plain <see cref="Uri"/> would remove the
    /// <c>..</c> segment. Checked on a loopback listener that records the request line.
    /// </summary>
    [Fact]
    public async Task Requests_SendThePathExactlyAsSigned()
    {
        string url = gateway.Presign(ObjectMethod.Get, "wire/a/../b//c/./d %+~é");
        string pathAndQuery = url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..];
        pathAndQuery = pathAndQuery[pathAndQuery.IndexOf('/', StringComparison.Ordinal)..];
        Assert.Contains("/wire/a/../b//c/./d%20%25%2B~%C3%A9?", pathAndQuery, StringComparison.Ordinal);
        Assert.NotEqual(pathAndQuery, new Uri(url).PathAndQuery);

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        Task<string> requestLine = ReadRequestLineAsync(listener);

        string local = $"http://127.0.0.1:{port}{pathAndQuery}";
        using (HttpResponseMessage response = await gateway.SendAsync(HttpMethod.Get, local))
        {
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }

        Assert.Equal($"GET {pathAndQuery} HTTP/1.1", await requestLine.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    private static async Task<string> ReadRequestLineAsync(TcpListener listener)
    {
        using TcpClient client = await listener.AcceptTcpClientAsync();
        using NetworkStream stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.Latin1, leaveOpen: true);
        string line = await reader.ReadLineAsync() ?? "";
        while (!string.IsNullOrEmpty(await reader.ReadLineAsync()))
        {
        }

        await stream.WriteAsync("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n"u8.ToArray());
        return line;
    }

    private async Task<string> StoreAsync(string name)
    {
        string key = $"{name}/{Guid.NewGuid():N}";
        await gateway.S3.PutObjectAsync(new PutObjectRequest { BucketName = gateway.Bucket, Key = key, ContentBody = "stored " + key });
        return key;
    }

    private async Task<IReadOnlyList<string>> StoredKeysContaining(string part)
    {
        var keys = new List<string>();
        var request = new ListObjectsV2Request { BucketName = gateway.Bucket };
        ListObjectsV2Response page;
        do
        {
            page = await gateway.S3.ListObjectsV2Async(request);
            keys.AddRange((page.S3Objects ?? []).Select(o => o.Key).Where(k => k.Contains(part, StringComparison.Ordinal)));
            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);

        return keys;
    }

    private static async Task AssertStatus(HttpStatusCode expected, HttpResponseMessage response)
    {
        if (response.StatusCode != expected)
        {
            Assert.Fail($"expected {(int)expected} {expected}, got {(int)response.StatusCode} {response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>
    /// 403 with an S3 error code that means "this signature does not authorise this request".
    /// With STS enabled (<c>rgw s3 auth use sts = true</c>), RGW 16 tries its STS engine after
    /// the local one and answers a signature mismatch with <c>AccessDenied</c>, not
    /// <c>SignatureDoesNotMatch</c>; an expired URL is <c>AccessDenied</c> too. So the code
    /// alone cannot tell the cases apart: the tests pair each refusal with a control that succeeds.
    /// </summary>
    private static async Task AssertRefused(HttpResponseMessage response, params string[] otherCodes)
    {
        string[] codes = ["SignatureDoesNotMatch", "AccessDenied", .. otherCodes];
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"expected 403, got {(int)response.StatusCode}: {body}");
        Assert.True(codes.Any(c => body.Contains($"<Code>{c}</Code>", StringComparison.Ordinal)), $"expected {string.Join(" or ", codes)}, got: {body}");
    }
}
