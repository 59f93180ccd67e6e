using Sluice.Core.Addressing;
using Sluice.Core.Signing;
using Sluice.Core.Providers;

namespace Sluice.IntegrationTests.Cli;

/// <summary><c>sluice presign</c> run as a real process.</summary>
public sealed class PresignCommandTests
{
    private const string AccessKeyId = "AKIAIOSFODNN7EXAMPLE";
    private const string SecretAccessKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static readonly DateTimeOffset SigningTime = new(2013, 5, 24, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Reproduces_the_S3_documentation_example_with_a_fixed_signing_time()
    {
        var result = await SluiceProcess.RunAsync(
        [
            "presign", "GET", "examplebucket", "test.txt", "--host", "s3.amazonaws.com", "--region", "us-east-1",
            "--access-key-id", AccessKeyId, "--secret-access-key", SecretAccessKey, "--signing-time", "20130524T000000Z",
        ]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256"
            + "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
            + "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
            + "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404\n",
            result.StandardOutput);
    }

    [Fact]
    public async Task Takes_keys_from_the_environment_and_honours_every_addressing_option()
    {
        var result = await SluiceProcess.RunAsync(
            ["presign", "put", "my-bucket", "a b/c+d", "--host", "127.0.0.1:7480", "--path-style", "--use-ssl", "false", "--expiration", "60", "--signing-time", "20240101T120000Z"],
            environment: new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = AccessKeyId, ["AWS_SECRET_ACCESS_KEY"] = SecretAccessKey, ["AWS_SESSION_TOKEN"] = "token/with+chars=" });

        Assert.Equal(0, result.ExitCode);
        var credentials = new SigningCredentials(AccessKeyId, SecretAccessKey, "token/with+chars=");
        var expected = Sign(new S3Endpoint("us-east-1", Host("127.0.0.1:7480"), true, false), "my-bucket", "a b/c+d", ObjectMethod.Put, credentials, 60, new DateTimeOffset(2024, 1, 1, 12, 0, 0, TimeSpan.Zero));
        Assert.Equal(expected + "\n", result.StandardOutput);
        Assert.StartsWith("http://127.0.0.1:7480/my-bucket/a%20b/c%2Bd?", result.StandardOutput);
        Assert.Contains("X-Amz-Security-Token=token%2Fwith%2Bchars%3D", result.StandardOutput);
    }

    [Fact]
    public async Task Signs_one_line_per_key_from_standard_input_keeping_lines_paired()
    {
        var keys = Enumerable.Range(0, 2000).Select(i => $"runs/{i}/outputs/file {i}+é.bin").ToList();
        keys[7] = new string('x', 1025); // refused: over 1024 bytes
        var result = await SluiceProcess.RunAsync(
            ["presign", "GET", "bucket-a", "--keys-from", "-", "--access-key-id", AccessKeyId, "--secret-access-key", SecretAccessKey, "--signing-time", "20130524T000000Z", "--region", "eu-west-1"],
            standardInput: string.Join("\n", keys) + "\n");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("line 8", result.StandardError);
        string[] lines = result.StandardOutput.Split('\n');
        Assert.Equal(keys.Count + 1, lines.Length);
        var endpoint = new S3Endpoint("eu-west-1", null, false, true);
        var credentials = new SigningCredentials(AccessKeyId, SecretAccessKey);
        for (int i = 0; i < keys.Count; i++)
        {
            string expected = i == 7 ? string.Empty : Sign(endpoint, "bucket-a", keys[i], ObjectMethod.Get, credentials, 86400, SigningTime);
            Assert.Equal(expected, lines[i]);
        }
    }

    [Fact]
    public async Task Reads_keys_from_a_file()
    {
        string file = Path.GetTempFileName();
        try
        {
            await File.WriteAllLinesAsync(file, ["one", "two/three"]);
            var result = await SluiceProcess.RunAsync(
                ["presign", "DELETE", "bucket-a", "--keys-from", file, "--access-key-id", AccessKeyId, "--secret-access-key", SecretAccessKey, "--signing-time", "20130524T000000Z"]);

            Assert.Equal(0, result.ExitCode);
            var endpoint = new S3Endpoint("us-east-1", null, false, true);
            var credentials = new SigningCredentials(AccessKeyId, SecretAccessKey);
            Assert.Equal(
                Sign(endpoint, "bucket-a", "one", ObjectMethod.Delete, credentials, 86400, SigningTime) + "\n"
                + Sign(endpoint, "bucket-a", "two/three", ObjectMethod.Delete, credentials, 86400, SigningTime) + "\n",
                result.StandardOutput);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("METHOD must be GET, PUT or DELETE", "presign", "POST", "bucket-a", "k")]
    [InlineData("BUCKET must be 3 to 63 characters long", "presign", "GET", "ab", "k")]
    [InlineData("--host must be host[:port] without a scheme", "presign", "GET", "bucket-a", "k", "--host", "http://x")]
    [InlineData("--expiration must be from 1 to 604800", "presign", "GET", "bucket-a", "k", "--expiration", "604801")]
    [InlineData("--signing-time must be yyyyMMddTHHmmssZ", "presign", "GET", "bucket-a", "k", "--signing-time", "2013-05-24")]
    [InlineData("give either KEY or --keys-from", "presign", "GET", "bucket-a")]
    public async Task Refuses_bad_arguments_with_exit_code_2_and_a_reason(string reason, params string[] arguments)
    {
        var result = await SluiceProcess.RunAsync([.. arguments, "--access-key-id", AccessKeyId, "--secret-access-key", SecretAccessKey]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(reason, result.StandardError);
        Assert.Equal(string.Empty, result.StandardOutput);
    }

    [Fact]
    public async Task Refuses_to_sign_without_keys()
    {
        var result = await SluiceProcess.RunAsync(["presign", "GET", "bucket-a", "k"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("keys are needed", result.StandardError);
    }

    private static EndpointHost Host(string text)
    {
        Assert.True(EndpointHost.TryParse(text, out var host, out _));
        return host;
    }

    private static string Sign(S3Endpoint endpoint, string bucket, string key, ObjectMethod method, SigningCredentials credentials, int seconds, DateTimeOffset time)
    {
        var address = endpoint.Locate(bucket);
        return new SigV4Presigner(TimeProvider.System).Presign(
            new PresignRequest(method, address.Scheme, address.Authority, address.PathPrefix, key, endpoint.Region, credentials, seconds), time);
    }
}
