using Amazon.Runtime;
using Amazon.S3;
using Sluice.Core.Signing;
using Sluice.Core.Addressing;

namespace Sluice.Core.Providers.S3;

/// <summary>
/// AWS SDK clients for data-plane calls, set up so S3-compatible servers work too: the
/// endpoint pinned, and the SDK's default upload checksums (which RGW 16 and others reject
/// with <c>XAmzContentSHA256Mismatch</c>) only where an operation requires them.
/// </summary>
public static class S3ClientFactory
{
    public static AmazonS3Client Create(S3Endpoint endpoint, SigningCredentials credentials, TimeSpan? timeout = null) =>
        new(SdkCredentials(credentials), Config(endpoint, timeout ?? TimeSpan.FromSeconds(30), maxErrorRetry: 2));

    /// <summary>The SDK's form of fixed keys.</summary>
    public static AWSCredentials SdkCredentials(SigningCredentials credentials) => credentials.SessionToken is null
        ? new BasicAWSCredentials(credentials.AccessKeyId, credentials.SecretAccessKey)
        : new SessionAWSCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken);

    /// <summary>The client settings for an endpoint; callers may add to them (retries, HTTP handling).</summary>
    public static AmazonS3Config Config(S3Endpoint endpoint, TimeSpan timeout, int maxErrorRetry)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = endpoint.PathStyle,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            Timeout = timeout,
            MaxErrorRetry = maxErrorRetry,
        };
        if (endpoint.Host is { } host)
        {
            config.ServiceURL = $"{endpoint.Scheme}://{host}";
            config.AuthenticationRegion = endpoint.Region;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(endpoint.Region);
            config.UseHttp = !endpoint.UseSsl;
        }

        return config;
    }
}
