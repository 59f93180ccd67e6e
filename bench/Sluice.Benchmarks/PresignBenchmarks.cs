using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using BenchmarkDotNet.Attributes;
using Sluice.Core.Addressing;
using Sluice.Core.Signing;
using Sluice.Core.Providers;
using Sluice.Core.Providers.S3;

namespace Sluice.Benchmarks;

/// <summary>
/// One presigned GET URL, ours against AWSSDK.S3's <c>GetPreSignedURL</c> (the baseline), for
/// the same bucket, key, keys and expiry; then one UploadPart URL pinned to the part's size
/// (both ways) and one browser-form POST policy. Time and bytes allocated per URL or form.
/// </summary>
[MemoryDiagnoser]
public class PresignBenchmarks
{
    private const string Bucket = "examplebucket";
    private const string Key = "documents/2024/january/quarterly report (final).pdf";
    private const string Region = "us-east-1";

    private const string AccessKeyId = "AKIAIOSFODNN7EXAMPLE";
    private const string SecretAccessKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    private SigningCredentials _credentials = null!;
    private SigV4Presigner _presigner = null!;
    private BucketAddress _address;
    private AmazonS3Client _sdk = null!;
    private PostPolicySigner _postSigner = null!;
    private S3Endpoint _endpoint = null!;

    private const string UploadId = "2~Xy9rBqk3T0mW8vHn_4cLd-QpZsRu1EaF";

    [Params(false, true)]
    public bool SessionToken { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        string? token = SessionToken ? new string('T', 700) : null;
        _credentials = new SigningCredentials(AccessKeyId, SecretAccessKey, token);
        _presigner = new SigV4Presigner(TimeProvider.System);
        _endpoint = new S3Endpoint(Region, null, false, true);
        _address = _endpoint.Locate(Bucket);
        _postSigner = new PostPolicySigner(TimeProvider.System);
        AWSCredentials sdkCredentials = token is null
            ? new BasicAWSCredentials(AccessKeyId, SecretAccessKey)
            : new SessionAWSCredentials(AccessKeyId, SecretAccessKey, token);
        _sdk = new AmazonS3Client(sdkCredentials, new AmazonS3Config { RegionEndpoint = Amazon.RegionEndpoint.USEast1 });
    }

    [Benchmark(Baseline = true, Description = "AWSSDK.S3 GetPreSignedURL")]
    public string AwsSdk() => _sdk.GetPreSignedURL(new GetPreSignedUrlRequest
    {
        BucketName = Bucket,
        Key = Key,
        Verb = HttpVerb.GET,
        Expires = DateTime.UtcNow.AddSeconds(86400),
    });

    [Benchmark(Description = "Sluice SigV4Presigner")]
    public string Sluice() => _presigner.Presign(
        new PresignRequest(ObjectMethod.Get, _address.Scheme, _address.Authority, _address.PathPrefix, Key, Region, _credentials, 86400));

    /// <summary>What the server did per URL before the provider seam: the endpoint's addressing, then the presigner.</summary>
    [Benchmark(Description = "Sluice before the seam: Locate + SigV4Presigner")]
    public string SluiceBeforeSeam()
    {
        BucketAddress address = _endpoint.Locate(Bucket);
        return _presigner.Presign(
            new PresignRequest(ObjectMethod.Get, address.Scheme, address.Authority, address.PathPrefix, Key, Region, _credentials, 86400), DateTimeOffset.UtcNow);
    }

    /// <summary>What the server does per request now: an <see cref="IUrlSigner"/> for the account's credentials, then one URL.</summary>
    [Benchmark(Description = "Sluice through the seam: new S3UrlSigner + Sign")]
    public string SluiceThroughSeam()
    {
        IUrlSigner signer = new S3UrlSigner(_presigner, _postSigner, _endpoint, _credentials);
        return signer.Sign(Bucket, Key, ObjectMethod.Get, 86400, DateTimeOffset.UtcNow);
    }

    [Benchmark(Description = "AWSSDK.S3 GetPreSignedURL, part + length")]
    public string AwsSdkPart()
    {
        var request = new GetPreSignedUrlRequest
        {
            BucketName = Bucket,
            Key = Key,
            Verb = HttpVerb.PUT,
            Expires = DateTime.UtcNow.AddSeconds(86400),
            UploadId = UploadId,
            PartNumber = 42,
        };
        request.Headers.ContentLength = 5L << 20;
        return _sdk.GetPreSignedURL(request);
    }

    [Benchmark(Description = "Sluice SigV4Presigner, part + length")]
    public string SluicePart() => _presigner.Presign(
        new PresignRequest(ObjectMethod.Put, _address.Scheme, _address.Authority, _address.PathPrefix, Key, Region, _credentials, 86400)
        {
            UploadId = UploadId,
            PartNumber = 42,
            ContentLength = 5L << 20,
        });

    [Benchmark(Description = "Sluice PostPolicySigner")]
    public PostPolicyForm SluicePostPolicy() => _postSigner.Sign(
        new PostPolicyRequest(_endpoint, Bucket, _credentials, DateTimeOffset.UtcNow.AddHours(1))
        {
            KeyPrefix = "uploads/user1/",
            ContentLength = new ContentLengthRange(1, 10 << 20),
            ContentType = "image/png",
            SuccessActionStatus = 201,
        });
}
