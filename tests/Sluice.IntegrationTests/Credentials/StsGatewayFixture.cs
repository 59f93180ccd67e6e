using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Sluice.IntegrationTests.S3;

namespace Sluice.IntegrationTests.Credentials;

/// <summary>Temporary credentials as the gateway's STS issued them.</summary>
public sealed record TemporaryKeys(string AccessKeyId, string SecretAccessKey, string SessionToken, DateTimeOffset Expiration);

/// <summary>
/// The RADOS Gateway that <c>./scripts/test.sh</c> starts, seen as an STS: its admin user's keys
/// (from <c>SLUICE_TEST_S3_*</c>), <c>radosgw-admin</c> on its <c>ceph.conf</c>
/// (<c>SLUICE_TEST_RGW_CONF</c>) for roles and user caps, a role the admin user may assume
/// (<see cref="AssumeRoleAsync"/> gives real temporary credentials), IAM Query API calls signed
/// with the admin keys, and a bucket for the collection. Without the variables every test of
/// the collection fails: a missing gateway is a broken run, never a skipped test.
/// </summary>
public sealed class StsGatewayFixture : IAsyncLifetime, IDisposable
{
    public const string RgwConfVariable = "SLUICE_TEST_RGW_CONF";

    /// <summary>The user <c>scripts/rgw-s3.sh</c> creates, whose keys are the admin keys.</summary>
    public const string AdminUser = "test";

    public StsGatewayFixture()
    {
        string endpoint = Required(RadosGatewayFixture.EndpointVariable);
        AdminKeys = (Required(RadosGatewayFixture.AccessKeyVariable), Required(RadosGatewayFixture.SecretKeyVariable));
        RgwConf = Required(RgwConfVariable);
        if (!File.Exists(RgwConf))
        {
            throw new InvalidOperationException($"{RgwConfVariable}='{RgwConf}' does not exist: run ./scripts/test.sh, which starts the gateway and sets it.");
        }

        ServiceUrl = new Uri(endpoint);
        Region = Environment.GetEnvironmentVariable(RadosGatewayFixture.RegionVariable) is { Length: > 0 } region ? region : "us-east-1";
        Bucket = "sluice-cred-" + Guid.NewGuid().ToString("N")[..16];
        S3RoleName = "sluice-s3-" + Guid.NewGuid().ToString("N")[..12];

        S3 = new AmazonS3Client(new BasicAWSCredentials(AdminKeys.AccessKey, AdminKeys.SecretKey), new AmazonS3Config
        {
            ServiceURL = ServiceUrl.GetLeftPart(UriPartial.Authority),
            AuthenticationRegion = Region,
            ForcePathStyle = true,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            MaxErrorRetry = 0,
        });
        Sts = new AmazonSecurityTokenServiceClient(new BasicAWSCredentials(AdminKeys.AccessKey, AdminKeys.SecretKey), new AmazonSecurityTokenServiceConfig
        {
            ServiceURL = ServiceUrl.GetLeftPart(UriPartial.Authority),
            AuthenticationRegion = Region,
            MaxErrorRetry = 0,
        });
        Http = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
        })
        {
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    /// <summary>The gateway's base URL, e.g. <c>http://127.0.0.1:7480/</c>.</summary>
    public Uri ServiceUrl { get; }

    /// <summary><c>127.0.0.1:7480</c>: the <c>host</c> of the accounts the tests create.</summary>
    public string HostAndPort => ServiceUrl.Authority;

    public string Region { get; }

    public (string AccessKey, string SecretKey) AdminKeys { get; }

    public string RgwConf { get; }

    public string Bucket { get; }

    /// <summary>A role that trusts the admin user and may do anything in S3.</summary>
    public string S3RoleName { get; }

    public string S3RoleArn => $"arn:aws:iam:::role/{S3RoleName}";

    public AmazonS3Client S3 { get; }

    public AmazonSecurityTokenServiceClient Sts { get; }

    /// <summary>For the presigned URLs: no proxy, no redirects, the path sent as written.</summary>
    public HttpClient Http { get; }

    /// <summary>The body of <c>PUT /AwsAccount/{id}</c> for an account without keys on this gateway.</summary>
    public string KeylessAccountYaml => $"region: {Region}\nhost: {HostAndPort}\npath-style: true\nuse-ssl: false\n";

    public async Task InitializeAsync()
    {
        try
        {
            await S3.PutBucketAsync(new PutBucketRequest { BucketName = Bucket });
        }
        catch (Exception e) when (e is AmazonServiceException or HttpRequestException)
        {
            throw new InvalidOperationException(
                $"Could not create bucket {Bucket} on the RADOS Gateway at {ServiceUrl} ({e.Message}). Is it running? Run ./scripts/test.sh, which starts it.", e);
        }

        await CreateRoleAsync(
            S3RoleName,
            $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam:::user/{{AdminUser}}"]},"Action":["sts:AssumeRole"]}]}""");
    }

    /// <summary>A role with the given trust policy and a permission policy allowing all of S3.</summary>
    public async Task CreateRoleAsync(string name, string trustPolicy)
    {
        await RadosgwAdminAsync("role", "create", $"--role-name={name}", "--path=/", $"--assume-role-policy-doc={trustPolicy}");
        await RadosgwAdminAsync(
            "role-policy", "put", $"--role-name={name}", "--policy-name=s3-all",
            """--policy-doc={"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*"],"Resource":"arn:aws:s3:::*"}]}""");
    }

    /// <summary>Real temporary credentials: STS <c>AssumeRole</c> of <see cref="S3RoleArn"/>, signed with the admin keys.</summary>
    public async Task<TemporaryKeys> AssumeRoleAsync(int durationSeconds = 900, string? sessionName = null)
    {
        AssumeRoleResponse response = await Sts.AssumeRoleAsync(new AssumeRoleRequest
        {
            RoleArn = S3RoleArn,
            RoleSessionName = sessionName ?? "sluice-it-" + Guid.NewGuid().ToString("N")[..8],
            DurationSeconds = durationSeconds,
        });
        var keys = response.Credentials;
        DateTime expiration = keys.Expiration ?? throw new InvalidOperationException("AssumeRole answered without an Expiration");
        return new TemporaryKeys(
            keys.AccessKeyId, keys.SecretAccessKey, keys.SessionToken, new DateTimeOffset(DateTime.SpecifyKind(expiration.ToUniversalTime(), DateTimeKind.Utc)));
    }

    /// <summary>Runs <c>radosgw-admin -c SLUICE_TEST_RGW_CONF ARGS</c> and returns its standard output.</summary>
    public async Task<string> RadosgwAdminAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("radosgw-admin")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(RgwConf);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start radosgw-admin");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"radosgw-admin {string.Join(' ', arguments)} did not finish within 60 s");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"radosgw-admin {string.Join(' ', arguments)} exited with {process.ExitCode}: {await stderr}{await stdout}");
        }

        return await stdout;
    }

    /// <summary>
    /// An IAM Query API call (<c>POST /</c>, form body) signed with SigV4 and the admin keys;
    /// returns the status and the XML answer. The SDK's IAM client is not on the package feed.
    /// </summary>
    public async Task<(HttpStatusCode Status, string Body)> IamAsync(IReadOnlyList<(string Name, string Value)> parameters)
    {
        string body = string.Join('&', parameters.Prepend((Name: "Version", Value: "2010-05-08")).Select(p => $"{Uri.EscapeDataString(p.Name)}={Uri.EscapeDataString(p.Value)}"));
        using HttpRequestMessage request = SignedFormPost(ServiceUrl, body, "iam", Region, AdminKeys.AccessKey, AdminKeys.SecretKey, DateTimeOffset.UtcNow);
        using HttpResponseMessage response = await Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Sends <paramref name="method"/> to a presigned URL exactly as written.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, byte[]? body = null)
    {
        using var request = new HttpRequestMessage(method, RadosGatewayFixture.ExactUri(url));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
        }

        return await Http.SendAsync(request);
    }

    public async Task DisposeAsync()
    {
        try
        {
            var keys = new List<string>();
            var listing = new ListObjectsV2Request { BucketName = Bucket };
            ListObjectsV2Response page;
            do
            {
                page = await S3.ListObjectsV2Async(listing);
                keys.AddRange((page.S3Objects ?? []).Select(o => o.Key));
                listing.ContinuationToken = page.NextContinuationToken;
            }
            while (page.IsTruncated == true);

            foreach (string key in keys)
            {
                await S3.DeleteObjectAsync(Bucket, key);
            }

            await S3.DeleteBucketAsync(Bucket);
        }
        catch (Exception e) when (e is AmazonServiceException or HttpRequestException)
        {
            // Best effort: the gateway and its data live in a temporary directory that test.sh removes.
        }
    }

    public void Dispose()
    {
        Http.Dispose();
        S3.Dispose();
        Sts.Dispose();
    }

    /// <summary>SigV4 in the Authorization header for a form-encoded <c>POST /</c> (the IAM and STS Query APIs).</summary>
    private static HttpRequestMessage SignedFormPost(Uri endpoint, string body, string service, string region, string accessKey, string secretKey, DateTimeOffset now)
    {
        const string contentType = "application/x-www-form-urlencoded; charset=utf-8";
        string amzDate = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        string date = amzDate[..8];
        byte[] payload = Encoding.UTF8.GetBytes(body);
        string payloadHash = Convert.ToHexStringLower(SHA256.HashData(payload));
        string host = endpoint.Authority;
        const string signedHeaders = "content-type;host;x-amz-content-sha256;x-amz-date";
        string canonicalRequest =
            $"POST\n/\n\ncontent-type:{contentType}\nhost:{host}\nx-amz-content-sha256:{payloadHash}\nx-amz-date:{amzDate}\n\n{signedHeaders}\n{payloadHash}";
        string scope = $"{date}/{region}/{service}/aws4_request";
        string stringToSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";
        byte[] key = Encoding.UTF8.GetBytes("AWS4" + secretKey);
        foreach (string part in new[] { date, region, service, "aws4_request" })
        {
            key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
        }

        string signature = Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint, "/"))
        {
            Content = new ByteArrayContent(payload),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
        request.Headers.TryAddWithoutValidation("X-Amz-Content-SHA256", payloadHash);
        request.Headers.TryAddWithoutValidation("Authorization", $"AWS4-HMAC-SHA256 Credential={accessKey}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}");
        return request;
    }

    private static string Required(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{name} is not set. The credential tests need the RADOS Gateway with its STS: run ./scripts/test.sh, which starts it and sets "
                + $"{RadosGatewayFixture.EndpointVariable}, {RadosGatewayFixture.AccessKeyVariable}, {RadosGatewayFixture.SecretKeyVariable} and {RgwConfVariable}.");
}

/// <summary>The credential tests that run one after another (each starts its own <c>sluice serve</c>).</summary>
[CollectionDefinition(Name)]
public sealed class StsCredentialsCollection : ICollectionFixture<StsGatewayFixture>
{
    public const string Name = "Credentials from the RADOS Gateway's STS";
}

/// <summary>The test that waits for a real session to end: its own collection, so it runs beside the others.</summary>
[CollectionDefinition(Name)]
public sealed class StsSessionExpiryCollection : ICollectionFixture<StsGatewayFixture>
{
    public const string Name = "Credentials: a real STS session running out";
}
