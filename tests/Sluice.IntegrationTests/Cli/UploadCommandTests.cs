using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Amazon.S3.Model;
using Sluice.IntegrationTests.Artifacts;
using Sluice.IntegrationTests.Http;
using Sluice.IntegrationTests.S3;
using static Sluice.IntegrationTests.Http.HttpTestSupport;
using Sluice.Core.Transfers;

namespace Sluice.IntegrationTests.Cli;

/// <summary>
/// <c>sluice upload</c> as a real process, through a real server, to the RADOS Gateway: the path of
/// a client with a Sluice token and no S3 credentials. The state directory is a temporary one.
/// </summary>
[Collection(RadosGatewayCollection.Name)]
public sealed partial class UploadCommandTests(RadosGatewayFixture gateway) : IAsyncLifetime
{
    private const int MiB = 1024 * 1024;
    private readonly string _account = NewId("cliup");
    private readonly string _work = Path.Combine(Path.GetTempPath(), "sluice-upload-" + Guid.NewGuid().ToString("N"));
    private readonly string _prefix = $"cli-upload/{Guid.NewGuid():N}/";
    private SluiceTestHost _host = null!;

    private string StateDirectory => Path.Combine(_work, "state", "sluice", "uploads");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_work);
        _host = await SluiceTestHost.StartAsync();
        await PutAccountAsync(_host.Client, _account, gateway.AccountYaml);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task A_23_MiB_file_in_5_MiB_parts_arrives_byte_identical()
    {
        byte[] data = RandomNumberGenerator.GetBytes((23 * MiB) + 12_345);
        string file = WriteFile("big.bin", data);
        string key = _prefix + "dir ü/big #1.bin";

        var result = await UploadAsync([file, "--key", key, "--content-type", "application/x-test", "--part-size", "5MiB", "--concurrency", "4"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal([1, 2, 3, 4, 5], SentParts(result.StandardOutput).Order());
        Assert.Contains($"key: {key}\n", result.StandardOutput);
        Assert.Contains($"size: {data.Length} (23.0 MiB)\n", result.StandardOutput);
        Assert.Matches("etag: \"[0-9a-f]{32}-5\"\n", result.StandardOutput);
        Assert.Equal(data, await ReadObjectAsync(key));
        var metadata = await gateway.S3.GetObjectMetadataAsync(gateway.Bucket, key);
        Assert.Equal("application/x-test", metadata.Headers.ContentType);
        Assert.Empty(await UploadsAsync(key));
        Assert.Empty(StateFiles());
    }

    [Fact]
    public async Task A_killed_upload_resumes_sending_only_the_parts_missing_or_different()
    {
        byte[] data = RandomNumberGenerator.GetBytes((23 * MiB) + 777);
        string file = WriteFile("killed.bin", data);
        string key = _prefix + "killed.bin";
        await using var proxy = await SlowAccountAsync(4 * MiB);
        string[] arguments = [file, "--account", _account, "--bucket", gateway.Bucket, "--key", key, "--part-size", "5MiB", "--concurrency", "1"];

        using (var child = SluiceChild.Start(["upload", .. arguments], Environment()))
        {
            await WaitForAsync(() => child.StandardOutput.Contains("part 2/5 sent", StringComparison.Ordinal), child);
            child.Kill(); // SIGKILL: nothing of the CLI's runs after this
            await child.WaitAsync(TimeSpan.FromSeconds(30));
        }

        // The upload is still there, with the parts sent before the kill; the state file names it.
        var upload = Assert.Single(await UploadsAsync(key));
        string state = Assert.Single(StateFiles());
        Assert.Equal(upload.UploadId, JsonDocument.Parse(File.ReadAllText(state)).RootElement.GetProperty("uploadId").GetString());
        // The throttling proxy may still be passing on the bytes of a part the CLI sent before it died:
        // wait until the gateway's parts stop changing, so the re-run and this test see the same parts.
        List<int> stored = [];
        var settling = System.Diagnostics.Stopwatch.StartNew();
        for (int unchanged = 0; unchanged < 3 && settling.Elapsed < TimeSpan.FromSeconds(30); await Task.Delay(500))
        {
            var now = (await gateway.S3.ListPartsAsync(new ListPartsRequest { BucketName = gateway.Bucket, Key = key, UploadId = upload.UploadId })).Parts.Select(p => p.PartNumber!.Value).ToList();
            unchanged = now.SequenceEqual(stored) ? unchanged + 1 : 0;
            stored = now;
        }

        Assert.Contains(1, stored);
        Assert.Contains(2, stored);
        Assert.DoesNotContain(5, stored);

        // Part 1 replaced behind the CLI's back: the re-run must find it differs from the local bytes.
        await gateway.S3.UploadPartAsync(new UploadPartRequest
        {
            BucketName = gateway.Bucket, Key = key, UploadId = upload.UploadId, PartNumber = 1, InputStream = new MemoryStream(RandomNumberGenerator.GetBytes(5 * MiB)),
        });

        proxy.BytesPerSecond = 0;
        var resumed = await SluiceChild.RunAsync(["upload", .. arguments], Environment());

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains($"resuming upload {upload.UploadId} of {key}", resumed.StandardOutput);
        Assert.Contains($"{stored.Count - 1} stored parts match the local file, 1 do not (sent again)", resumed.StandardOutput);
        int[] expected = [1, .. Enumerable.Range(1, 5).Except(stored)];
        Assert.Equal(expected.Order(), SentParts(resumed.StandardOutput).Order());
        Assert.Equal(data, await ReadObjectAsync(key));
        Assert.Empty(await UploadsAsync(key));
        Assert.Empty(StateFiles());
    }

    [Fact]
    public async Task A_stopped_upload_is_kept_and_says_how_to_resume()
    {
        byte[] data = RandomNumberGenerator.GetBytes((10 * MiB) + 5);
        string file = WriteFile("stopped.bin", data);
        string key = _prefix + "stopped.bin";
        await using var proxy = await SlowAccountAsync(4 * MiB);
        string[] arguments = ["upload", file, "--account", _account, "--bucket", gateway.Bucket, "--key", key, "--part-size", "5MiB", "--concurrency", "1"];

        SluiceChild.Result stopped;
        using (var child = SluiceChild.Start(arguments, Environment()))
        {
            await WaitForAsync(() => child.StandardOutput.Contains("part 1/3 sent", StringComparison.Ordinal), child);
            child.Terminate(); // SIGTERM: System.CommandLine cancels the action as it does on Ctrl+C
            stopped = await child.WaitAsync(TimeSpan.FromSeconds(30));
        }

        Assert.True(stopped.ExitCode == 130, stopped.ToString());
        Assert.Matches("stopped with [12] of 3 parts stored; the upload is kept .*Run the same command again to resume it", stopped.StandardError);
        Assert.Single(await UploadsAsync(key)); // not aborted
        Assert.Single(StateFiles());

        proxy.BytesPerSecond = 0;
        var resumed = await SluiceChild.RunAsync(arguments, Environment());
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.DoesNotContain(1, SentParts(resumed.StandardOutput));
        Assert.Equal(data, await ReadObjectAsync(key));
        Assert.Empty(await UploadsAsync(key));
    }

    [Fact]
    public async Task An_upload_gone_from_the_bucket_starts_over()
    {
        byte[] data = RandomNumberGenerator.GetBytes((10 * MiB) + 3);
        string file = WriteFile("gone.bin", data);
        string key = _prefix + "gone.bin";
        await using var proxy = await SlowAccountAsync(4 * MiB);
        string[] arguments = ["upload", file, "--account", _account, "--bucket", gateway.Bucket, "--key", key, "--part-size", "5MiB", "--concurrency", "1"];
        using (var child = SluiceChild.Start(arguments, Environment()))
        {
            await WaitForAsync(() => child.StandardOutput.Contains("part 1/3 sent", StringComparison.Ordinal), child);
            child.Kill();
            await child.WaitAsync(TimeSpan.FromSeconds(30));
        }

        var upload = Assert.Single(await UploadsAsync(key));
        await gateway.S3.AbortMultipartUploadAsync(gateway.Bucket, key, upload.UploadId);

        proxy.BytesPerSecond = 0;
        var result = await SluiceChild.RunAsync(arguments, Environment());
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"the upload {upload.UploadId} recorded in ", result.StandardOutput);
        Assert.Contains("is gone from the bucket (completed or aborted): starting over", result.StandardOutput);
        Assert.Equal([1, 2, 3], SentParts(result.StandardOutput).Order());
        Assert.Equal(data, await ReadObjectAsync(key));
        Assert.Empty(StateFiles());
    }

    [Fact]
    public async Task Without_a_key_the_server_generates_one_and_the_cli_prints_it()
    {
        byte[] data = RandomNumberGenerator.GetBytes(1000);
        string file = WriteFile("small.txt", data);

        var result = await UploadAsync([file, "--content-type", "text/plain"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("generated key ", result.StandardOutput);
        string key = KeyLine().Match(result.StandardOutput).Groups[1].Value;
        Assert.NotEmpty(key);
        Assert.Equal(data, await ReadObjectAsync(key));
        Assert.Contains($"etag: \"{Convert.ToHexStringLower(MD5.HashData(MD5.HashData(data)))}-1\"", result.StandardOutput);
    }

    [Fact]
    public async Task An_empty_file_is_one_empty_part()
    {
        string file = WriteFile("empty.bin", []);
        string key = _prefix + "empty.bin";

        var result = await UploadAsync([file, "--key", key]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("part 1/1 sent (0 B)", result.StandardOutput);
        Assert.Contains("size: 0 (0 B)", result.StandardOutput);
        Assert.Empty(await ReadObjectAsync(key));
        Assert.Empty(await UploadsAsync(key));
    }

    [Fact]
    public async Task A_bad_token_or_an_unknown_account_exits_2_with_the_servers_reason_and_keeps_nothing()
    {
        string file = WriteFile("refused.bin", RandomNumberGenerator.GetBytes(100));

        var badToken = await SluiceChild.RunAsync(["upload", file, "--account", _account, "--bucket", gateway.Bucket, "--key", _prefix + "refused.bin"],
            Environment(token: "sluice_not_a_token"));
        Assert.True(badToken.ExitCode == 2, badToken.ToString());
        Assert.StartsWith("sluice upload: 401 ", badToken.StandardError);

        var unknownAccount = await SluiceChild.RunAsync(["upload", file, "--account", "no-such-account", "--bucket", gateway.Bucket, "--key", _prefix + "refused.bin"], Environment());
        Assert.True(unknownAccount.ExitCode == 2, unknownAccount.ToString());
        Assert.StartsWith("sluice upload: 404 ", unknownAccount.StandardError);
        Assert.Contains("no-such-account", unknownAccount.StandardError);

        Assert.Empty(StateFiles());
        Assert.Empty(await UploadsAsync(_prefix + "refused.bin"));
    }

    [Fact]
    public async Task Bad_arguments_exit_2_before_anything_is_sent()
    {
        string file = WriteFile("args.bin", [1, 2, 3]);

        var result = await SluiceChild.RunAsync(["upload", file, "--bucket", "Not_A_Bucket", "--part-size", "1MiB", "--concurrency", "x", "--bogus"], Environment());

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("sluice upload: unknown option --bogus", result.StandardError);
        Assert.Contains("sluice upload: give --account", result.StandardError);
        Assert.Contains("sluice upload: --bucket ", result.StandardError);
        Assert.Contains("--concurrency must be a whole number (got 'x')", result.StandardError);

        var missing = await SluiceChild.RunAsync(["upload", Path.Combine(_work, "nope.bin"), "--account", _account, "--bucket", gateway.Bucket, "--part-size", "1MiB"], Environment());
        Assert.True(missing.ExitCode == 2, missing.ToString());
        Assert.Contains("no file ", missing.StandardError);
        Assert.Contains("the part size must be from 5 MiB to 5 GiB", missing.StandardError);
    }

    private Task<SluiceChild.Result> UploadAsync(string[] arguments) =>
        SluiceChild.RunAsync(["upload", .. arguments, "--account", _account, "--bucket", gateway.Bucket], Environment());

    private Dictionary<string, string> Environment(string? token = null) => new()
    {
        ["SLUICE_SERVER"] = _host.BaseAddress.ToString(),
        ["SLUICE_TOKEN"] = token ?? _host.AdminToken,
        ["XDG_STATE_HOME"] = Path.Combine(_work, "state"),
    };

    /// <summary>Points the account at a proxy to the gateway that lets the CLI's bytes through slowly.</summary>
    private async Task<GatewayProxy> SlowAccountAsync(long bytesPerSecond)
    {
        var proxy = new GatewayProxy(gateway.ServiceUrl) { BytesPerSecond = bytesPerSecond };
        await PutAccountAsync(_host.Client, _account, gateway.AccountYaml.Replace(gateway.ServiceUrl.Authority, proxy.Authority, StringComparison.Ordinal), System.Net.HttpStatusCode.OK);
        return proxy;
    }

    private static async Task WaitForAsync(Func<bool> condition, SluiceChild child)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the upload did not get that far:\n{child.StandardOutput}");
            }

            await Task.Delay(20);
        }
    }

    private string WriteFile(string name, byte[] data)
    {
        string path = Path.Combine(_work, name);
        File.WriteAllBytes(path, data);
        return path;
    }

    private string[] StateFiles() => Directory.Exists(StateDirectory) ? Directory.GetFiles(StateDirectory) : [];

    private static List<int> SentParts(string output) => [.. PartSentLine().Matches(output).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))];

    private async Task<byte[]> ReadObjectAsync(string key)
    {
        using var response = await gateway.S3.GetObjectAsync(gateway.Bucket, key);
        using var content = new MemoryStream();
        await response.ResponseStream.CopyToAsync(content);
        return content.ToArray();
    }

    private async Task<List<MultipartUpload>> UploadsAsync(string key) =>
        [.. ((await gateway.S3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = gateway.Bucket, Prefix = key })).MultipartUploads ?? []).Where(u => u.Key == key)];

    [GeneratedRegex(@"^part (\d+)/\d+ sent", RegexOptions.Multiline)]
    private static partial Regex PartSentLine();

    [GeneratedRegex(@"^key: (.+)$", RegexOptions.Multiline)]
    private static partial Regex KeyLine();
}
