using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Sluice.Core.Addressing;
using Sluice.Core.Signing;
using Sluice.Core.Providers;

namespace Sluice.IntegrationTests.S3;

/// <summary>
/// The real S3 server of the integration tests: the Ceph RADOS Gateway that
/// <c>./scripts/test.sh</c> starts on 127.0.0.1 and describes in the <c>SLUICE_TEST_S3_*</c>
/// variables. Gives an AWS SDK client set up for the gateway (the independent view of what
/// is stored), our own view of the endpoint, the credentials, one fresh bucket for the
/// collection and one shared <see cref="HttpClient"/>. Without the variables every test of
/// the collection fails: a missing gateway is a broken test run, never a skipped test.
/// </summary>
public sealed class RadosGatewayFixture : IAsyncLifetime, IDisposable
{
    public const string EndpointVariable = "SLUICE_TEST_S3_ENDPOINT";
    public const string AccessKeyVariable = "SLUICE_TEST_S3_ACCESS_KEY";
    public const string SecretKeyVariable = "SLUICE_TEST_S3_SECRET_KEY";
    public const string RegionVariable = "SLUICE_TEST_S3_REGION";

    public RadosGatewayFixture()
    {
        string endpoint = Required(EndpointVariable);
        string accessKey = Required(AccessKeyVariable);
        string secretKey = Required(SecretKeyVariable);
        Region = Environment.GetEnvironmentVariable(RegionVariable) is { Length: > 0 } region ? region : "us-east-1";

        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out Uri? serviceUrl)
            || serviceUrl.Scheme is not ("http" or "https")
            || serviceUrl.AbsolutePath != "/" || serviceUrl.Query.Length > 0)
        {
            throw new InvalidOperationException($"{EndpointVariable}='{endpoint}' must be http(s)://host:port with no path.");
        }

        if (!EndpointHost.TryParse(serviceUrl.Authority, out EndpointHost host, out string? problem))
        {
            throw new InvalidOperationException($"{EndpointVariable}='{endpoint}': the host {problem}.");
        }

        ServiceUrl = serviceUrl;
        Endpoint = new S3Endpoint(Region, host, PathStyle: true, UseSsl: serviceUrl.Scheme == "https");
        Credentials = new SigningCredentials(accessKey, secretKey);
        Bucket = "sluice-it-" + Guid.NewGuid().ToString("N")[..20];

        S3 = new AmazonS3Client(new BasicAWSCredentials(accessKey, secretKey), new AmazonS3Config
        {
            ServiceURL = serviceUrl.GetLeftPart(UriPartial.Authority),
            AuthenticationRegion = Region,
            ForcePathStyle = true,
            // RGW 16 answers the SDK v4's default upload checksums with 400 XAmzContentSHA256Mismatch.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
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

    public string Region { get; }

    /// <summary>The gateway as Sluice addresses it: path-style, plain HTTP, the host from the URL.</summary>
    public S3Endpoint Endpoint { get; }

    public SigningCredentials Credentials { get; }

    /// <summary>A bucket made for this fixture; emptied and removed when it is disposed.</summary>
    public string Bucket { get; }

    /// <summary>The AWS SDK, set up for the gateway: the independent view of what the server holds.</summary>
    public AmazonS3Client S3 { get; }

    /// <summary>One client for every plain HTTP request of the collection (no proxy, no redirects).</summary>
    public HttpClient Http { get; }

    public SigV4Presigner Presigner { get; } = new(TimeProvider.System);

    /// <summary>An AwsAccount body (YAML) for this gateway with its keys: what a Sluice server needs to sign for it.</summary>
    public string AccountYaml =>
        $"region: {Region}\nhost: {ServiceUrl.Authority}\npath-style: true\nuse-ssl: false\naccess-key-id: {Credentials.AccessKeyId}\nsecret-access-key: {Credentials.SecretAccessKey}\n";

    /// <summary>
    /// The bucket's CORS rule for a page served from <paramref name="origin"/> (the web console, the upload page):
    /// these methods, any request header, and the ETag (and range answers) readable by the page.
    /// </summary>
    public Task AllowBrowserAsync(string origin, params string[] methods) =>
        S3.PutCORSConfigurationAsync(new PutCORSConfigurationRequest
        {
            BucketName = Bucket,
            Configuration = new CORSConfiguration
            {
                Rules =
                [
                    new CORSRule
                    {
                        AllowedOrigins = [origin],
                        AllowedMethods = [.. methods],
                        AllowedHeaders = ["*"],
                        ExposeHeaders = ["ETag", "Content-Length", "Content-Range"],
                        MaxAgeSeconds = 3000,
                    },
                ],
            },
        });

    /// <summary>A presigned URL for <paramref name="key"/> in <see cref="Bucket"/>, signed now or at <paramref name="signingTime"/>.</summary>
    public string Presign(ObjectMethod method, string key, int expiresInSeconds = 300, DateTimeOffset? signingTime = null, SigningCredentials? credentials = null)
    {
        BucketAddress address = Endpoint.Locate(Bucket);
        var request = new PresignRequest(
            method, address.Scheme, address.Authority, address.PathPrefix, key, Region, credentials ?? Credentials, expiresInSeconds);
        return signingTime is { } at ? Presigner.Presign(request, at) : Presigner.Presign(request);
    }

    /// <summary>
    /// The URL exactly as written: <see cref="Uri"/> otherwise removes <c>.</c> and <c>..</c>
    /// segments and may re-escape the path, and the server would see another path than the one signed.
    /// </summary>
    public static Uri ExactUri(string url) =>
        new(url, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });

    /// <summary>Sends <paramref name="method"/> to <paramref name="url"/> exactly as written.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, byte[]? body = null)
    {
        using var request = new HttpRequestMessage(method, ExactUri(url));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
        }

        return await Http.SendAsync(request);
    }

    public async Task InitializeAsync()
    {
        try
        {
            await S3.PutBucketAsync(new PutBucketRequest { BucketName = Bucket });
        }
        catch (Exception e) when (e is AmazonServiceException or HttpRequestException)
        {
            throw new InvalidOperationException(
                $"Could not create bucket {Bucket} on the RADOS Gateway at {ServiceUrl} ({e.Message}). Is it running? "
                + "Run ./scripts/test.sh, which starts it.", e);
        }
    }

    public async Task DisposeAsync()
    {
        try
        {
            var keys = new List<string>();
            var request = new ListObjectsV2Request { BucketName = Bucket };
            ListObjectsV2Response page;
            do
            {
                page = await S3.ListObjectsV2Async(request);
                keys.AddRange((page.S3Objects ?? []).Select(o => o.Key));
                request.ContinuationToken = page.NextContinuationToken;
            }
            while (page.IsTruncated == true);

            // Our own DELETE URLs: the SDK cannot address every key (it drops a leading '/').
            foreach (string key in keys)
            {
                using HttpResponseMessage response = await SendAsync(HttpMethod.Delete, Presign(ObjectMethod.Delete, key));
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
    }

    private static string Required(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{name} is not set. The S3 integration tests need a real S3 server: run ./scripts/test.sh, which starts the "
                + "RADOS Gateway and sets SLUICE_TEST_S3_ENDPOINT, SLUICE_TEST_S3_ACCESS_KEY, SLUICE_TEST_S3_SECRET_KEY and SLUICE_TEST_S3_REGION.");
}
