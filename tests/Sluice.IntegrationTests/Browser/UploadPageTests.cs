using System.Net;
using System.Security.Cryptography;
using Amazon.S3.Model;
using Sluice.IntegrationTests.Http;
using Sluice.IntegrationTests.S3;
using Sluice.Server.WebConsole;
using static Sluice.IntegrationTests.Http.HttpTestSupport;

namespace Sluice.IntegrationTests.Browser;

/// <summary>
/// The upload page in a real browser: headless Chromium opens <c>/upload</c> on a real server,
/// and the file goes up in presigned parts, PUT cross-origin to the RADOS Gateway, whose CORS
/// rule (set here) lets the page PUT and read the ETag.
/// </summary>
[Collection(RadosGatewayCollection.Name)]
public sealed class UploadPageTests(RadosGatewayFixture gateway) : IAsyncLifetime
{
    private const int MiB = 1024 * 1024;
    private readonly string _account = NewId("browser");
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "sluice-browser-" + Guid.NewGuid().ToString("N"));
    private SluiceTestHost _host = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _host = await SluiceTestHost.StartAsync();
        await PutAccountAsync(_host.Client, _account, gateway.AccountYaml);
    }

    public async Task DisposeAsync()
    {
        await gateway.S3.DeleteCORSConfigurationAsync(gateway.Bucket);
        await _host.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private Uri Page => new(_host.BaseAddress, UploadPageEndpoints.Path);

    private string Origin => _host.BaseAddress.GetLeftPart(UriPartial.Authority);

    [Fact]
    public async Task A_file_uploaded_from_the_page_in_three_parts_arrives_byte_for_byte()
    {
        await AllowBrowserUploadsAsync(Origin);
        string token = await CreateTokenAsync("""["PUT"]""");
        string key = $"browser/{Guid.NewGuid():N}/from the page ü.bin";
        string file = WriteRandomFile("upload.bin", (12 * MiB) + 345_678);

        var report = await HeadlessChromium.UploadAsync(
            Page, "token=" + Uri.EscapeDataString(token), Form(key, partMiB: 5, parallel: 3), file, "upload-done");

        Assert.True(report.State == "done", report.ToString());
        Assert.Equal(200, report.PageStatus);
        Assert.Equal(UploadPageEndpoints.ContentSecurityPolicy, report.ContentSecurityPolicy);
        // The token came in the fragment, which the page took into its field and dropped from the address.
        Assert.True(report.TokenFieldFilled);
        Assert.Equal(Page.ToString(), report.AddressAfterLoad);
        Assert.DoesNotContain(report.Console, c => c.Contains("Content Security Policy", StringComparison.Ordinal));

        Assert.Equal(key, report.Key);
        Assert.Equal($"{new FileInfo(file).Length} bytes", report.Size);
        Assert.Matches("^\"[0-9a-f]{32}-3\"$", report.Etag);
        Assert.Equal(1, report.Progress);
        Assert.Equal(3, report.Requests.Count(r => r.StartsWith($"PUT {gateway.ServiceUrl.GetLeftPart(UriPartial.Authority)}/", StringComparison.Ordinal)));

        using var stored = await gateway.S3.GetObjectAsync(gateway.Bucket, key);
        Assert.Equal(new FileInfo(file).Length, stored.ContentLength);
        Assert.Equal(stored.ETag, report.Etag);
        await using (var read = File.OpenRead(file))
        {
            Assert.Equal(await SHA256.HashDataAsync(read), await SHA256.HashDataAsync(stored.ResponseStream));
        }

        // The token travelled in Authorization headers only: in no URL, and in none of the server's logs.
        Assert.DoesNotContain(report.Requests, r => r.Contains(token, StringComparison.Ordinal) || r.Contains(Uri.EscapeDataString(token), StringComparison.Ordinal));
        Assert.DoesNotContain(token, _host.LogText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_without_the_put_right_gets_the_servers_403_shown_on_the_page()
    {
        await AllowBrowserUploadsAsync(Origin);
        string token = await CreateTokenAsync("""["GET"]""");
        string key = $"browser/{Guid.NewGuid():N}/refused.bin";
        string file = WriteRandomFile("refused.bin", 1000);

        // The same request the page makes, to know the server's own words for the refusal.
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = _host.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        using var refused = await client.PostAsync($"/aws/storage/{_account}/{gateway.Bucket}?uploads", Json($$"""{"filename": "{{key}}"}"""));
        var problem = await ReadProblemAsync(refused, HttpStatusCode.Forbidden);

        var fields = new Dictionary<string, string>(Form(key, partMiB: 5, parallel: 4)) { ["token"] = token };
        var report = await HeadlessChromium.UploadAsync(Page, fragment: null, fields, file, "upload-forbidden");

        Assert.True(report.State == "error", report.ToString());
        Assert.StartsWith("Upload failed: 403 ", report.Status);
        Assert.Contains(problem.GetProperty("title").GetString()!, report.Status);
        Assert.Contains(problem.GetProperty("detail").GetString()!, report.Status);
        Assert.DoesNotContain(report.Requests, r => r.StartsWith("PUT ", StringComparison.Ordinal));
        Assert.Empty((await gateway.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = gateway.Bucket, Prefix = key })).S3Objects ?? []);
    }

    [Fact]
    public async Task Without_a_cors_rule_for_its_origin_the_page_says_so_and_discards_the_upload()
    {
        await AllowBrowserUploadsAsync("https://other.example");
        string token = await CreateTokenAsync("""["PUT"]""");
        string key = $"browser/{Guid.NewGuid():N}/no-cors.bin";
        string file = WriteRandomFile("no-cors.bin", 1000);

        var report = await HeadlessChromium.UploadAsync(
            Page, "token=" + Uri.EscapeDataString(token), Form(key, partMiB: 5, parallel: 1), file, "upload-no-cors");

        Assert.True(report.State == "error", report.ToString());
        Assert.Contains($"does its CORS rule allow PUT from {Origin}", report.Status);
        // Chromium's own word that the gateway's answer, not the network, stopped the PUT.
        Assert.Contains(report.Console, c => c.Contains("blocked by CORS policy", StringComparison.Ordinal));
        Assert.EndsWith("The parts sent were discarded.", report.Status);
        Assert.Empty((await gateway.S3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = gateway.Bucket, Prefix = key })).MultipartUploads ?? []);
        Assert.Empty((await gateway.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = gateway.Bucket, Prefix = key })).S3Objects ?? []);
    }

    /// <summary>The rule a bucket needs for the page: PUT from Sluice's origin, and the ETag readable by the page.</summary>
    private Task AllowBrowserUploadsAsync(string origin) => gateway.AllowBrowserAsync(origin, "PUT");

    private async Task<string> CreateTokenAsync(string methods)
    {
        using var response = await _host.Client.PostAsync("/tokens", Json(
            $$"""{"name":"browser","accounts":["{{_account}}"],"buckets":["{{gateway.Bucket}}"],"prefixes":["browser/"],"methods":{{methods}}}"""));
        return (await ReadJsonAsync(response, HttpStatusCode.Created)).GetProperty("token").GetString()!;
    }

    private Dictionary<string, string> Form(string key, int partMiB, int parallel) => new()
    {
        ["account"] = _account,
        ["bucket"] = gateway.Bucket,
        ["key"] = key,
        ["partMiB"] = partMiB.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["parallel"] = parallel.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private string WriteRandomFile(string name, int length)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, RandomNumberGenerator.GetBytes(length));
        return path;
    }
}
