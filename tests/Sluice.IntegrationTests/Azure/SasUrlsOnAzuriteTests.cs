using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using Sluice.Core.Providers;
using Sluice.Core.Providers.Azure;

namespace Sluice.IntegrationTests.Azure;

/// <summary>
/// Our SAS URLs against Azurite, which checks them as Azure does: plain HTTP requests (and curl)
/// to the URLs we sign do what they say, names arrive exactly as meant (checked with Microsoft's
/// client), and a URL that is not exactly what was signed is refused by Azurite itself.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class SasUrlsOnAzuriteTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Sas_put_get_delete_round_trip_the_bytes()
    {
        string blob = $"round-trip/{Guid.NewGuid():N}.bin";
        byte[] body = RandomNumberGenerator.GetBytes(70_000);

        using (var put = await SendAsync(HttpMethod.Put, Sign(ObjectMethod.Put, blob), body))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        Assert.Equal(body, (await azurite.Container.GetBlobClient(blob).DownloadContentAsync()).Value.Content.ToArray());
        using (var get = await SendAsync(HttpMethod.Get, Sign(ObjectMethod.Get, blob)))
        {
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
            Assert.Equal(body, await get.Content.ReadAsByteArrayAsync());
        }

        using (var delete = await SendAsync(HttpMethod.Delete, Sign(ObjectMethod.Delete, blob)))
        {
            Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        }

        Assert.False((await azurite.Container.GetBlobClient(blob).ExistsAsync()).Value);
    }

    [Fact]
    public async Task Curl_uploads_and_downloads_with_the_urls()
    {
        string blob = $"curl/{Guid.NewGuid():N} with space.txt";
        string file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, "bytes from curl\n");
            var (putCode, _) = await CurlAsync("-X", "PUT", "-H", "x-ms-blob-type: BlockBlob", "--data-binary", "@" + file, Sign(ObjectMethod.Put, blob));
            Assert.Equal("201", putCode);
            var (getCode, text) = await CurlAsync(Sign(ObjectMethod.Get, blob));
            Assert.Equal(("200", "bytes from curl\n"), (getCode, text));
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Each name is stored as exactly the characters meant ({0} is unique to the run), as Microsoft's client lists it.</summary>
    [Theory]
    [InlineData("{0}/with space/and  two spaces.txt")]
    [InlineData("{0}/plus+sign+c++")]
    [InlineData("{0}/percent%20not%2Fdecoded%25%")]
    [InlineData("{0}/unicodé/日本語/😀/ß Ω e\u0301 nbsp\u00A0")]
    [InlineData("{0}/double//slash")]
    [InlineData("{0}/~tilde~/it's (here) [x] {y} #hash ?q &a=b")]
    public async Task Hard_names_round_trip(string template)
    {
        string blob = template.Replace("{0}", Guid.NewGuid().ToString("N"), StringComparison.Ordinal);
        byte[] body = RandomNumberGenerator.GetBytes(100);
        using (var put = await SendAsync(HttpMethod.Put, Sign(ObjectMethod.Put, blob), body))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        string prefix = blob[..blob.IndexOf('/')];
        var names = new List<string>();
        await foreach (var item in azurite.Container.GetBlobsAsync(global::Azure.Storage.Blobs.Models.BlobTraits.None, global::Azure.Storage.Blobs.Models.BlobStates.None, prefix, CancellationToken.None))
        {
            names.Add(item.Name);
        }

        Assert.Equal([blob], names);
        using var get = await SendAsync(HttpMethod.Get, Sign(ObjectMethod.Get, blob));
        Assert.Equal(body, await get.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Azurite_refuses_every_url_that_is_not_what_was_signed()
    {
        string blob = $"refusals/{Guid.NewGuid():N}.txt";
        await azurite.Container.GetBlobClient(blob).UploadAsync(BinaryData.FromString("kept"));
        string read = Sign(ObjectMethod.Get, blob);
        using (var good = await SendAsync(HttpMethod.Get, read))
        {
            Assert.Equal(HttpStatusCode.OK, good.StatusCode); // the URL itself is good: the changes below are what is refused
        }

        int sig = read.IndexOf("&sig=", StringComparison.Ordinal) + 5;
        string tampered = read[..sig] + (read[sig] == 'A' ? 'B' : 'A') + read[(sig + 1)..];
        string expired = azurite.UrlSigner.Sign(azurite.ContainerName, blob, ObjectMethod.Get, 60, DateTimeOffset.UtcNow.AddMinutes(-5));
        string otherBlob = read.Replace(Uri.EscapeDataString(blob[(blob.IndexOf('/') + 1)..]), "other.txt", StringComparison.Ordinal);
        string morePermissions = read.Replace("&sp=r&", "&sp=rw&", StringComparison.Ordinal);
        string longer = ReplaceExpiry(read, "2099-01-01T00%3A00%3A00Z");

        var refusals = new (string Name, HttpMethod Method, string Url, byte[]? Body)[]
        {
            ("a tampered signature", HttpMethod.Get, tampered, null),
            ("an expired URL", HttpMethod.Get, expired, null),
            ("a read URL used to write", HttpMethod.Put, read, "overwritten"u8.ToArray()),
            ("a read URL used to delete", HttpMethod.Delete, read, null),
            ("the URL reused for another blob", HttpMethod.Get, otherBlob, null),
            ("more permissions than signed", HttpMethod.Put, morePermissions, "overwritten"u8.ToArray()),
            ("a later expiry than signed", HttpMethod.Get, longer, null),
        };
        foreach (var (name, method, url, body) in refusals)
        {
            Assert.True(read != url || method != HttpMethod.Get, $"{name}: the test changed neither the URL nor the method");
            using var response = await SendAsync(method, url, body);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        Assert.Equal("kept", (await azurite.Container.GetBlobClient(blob).DownloadContentAsync()).Value.Content.ToString());
    }

    [Fact]
    public async Task A_signer_on_another_key_is_refused()
    {
        string blob = $"refusals/{Guid.NewGuid():N}.txt";
        var stranger = new AzureUrlSigner(new BlobSasSigner(AzuriteFixture.Account, RandomNumberGenerator.GetBytes(64)), azurite.ServiceUrl);
        using var put = await SendAsync(HttpMethod.Put, stranger.Sign(azurite.ContainerName, blob, ObjectMethod.Put, 300, DateTimeOffset.UtcNow), "x"u8.ToArray());
        Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
        Assert.False((await azurite.Container.GetBlobClient(blob).ExistsAsync()).Value);
    }

    private string Sign(ObjectMethod method, string blob) => azurite.UrlSigner.Sign(azurite.ContainerName, blob, method, 300, DateTimeOffset.UtcNow);

    private static string ReplaceExpiry(string url, string expiry)
    {
        int start = url.IndexOf("&se=", StringComparison.Ordinal) + 4;
        int end = url.IndexOf('&', start);
        return url[..start] + expiry + url[end..];
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, byte[]? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(url, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true }));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
        }

        if (method == HttpMethod.Put)
        {
            request.Headers.Add("x-ms-blob-type", "BlockBlob");
        }

        return await azurite.Http.SendAsync(request);
    }

    private static async Task<(string Code, string Body)> CurlAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("curl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in (string[])["-s", "-w", "\n%{http_code}", "--path-as-is", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        using var curl = Process.Start(start)!;
        string output = await curl.StandardOutput.ReadToEndAsync();
        await curl.WaitForExitAsync();
        int last = output.LastIndexOf('\n');
        return (output[(last + 1)..], output[..last]);
    }
}
