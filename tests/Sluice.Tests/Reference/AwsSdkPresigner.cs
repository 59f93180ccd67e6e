using System.Reflection;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Sluice.Core.Addressing;
using Sluice.Core.Signing;
using Sluice.Core.Providers;

namespace Sluice.Tests.Reference;

/// <summary>
/// The independent implementation we compare against: AWSSDK.S3's <c>GetPreSignedURL</c>,
/// with its clock frozen the way AWS's own SDK tests freeze it (the internal static
/// <c>AWSConfigs.utcNowSource</c>, set by reflection). The clock is process-wide, so calls
/// are serialised.
/// </summary>
public static class AwsSdkPresigner
{
    private static readonly FieldInfo ClockField =
        typeof(Amazon.AWSConfigs).GetField("utcNowSource", BindingFlags.Static | BindingFlags.NonPublic)
        ?? throw new InvalidOperationException("AWSConfigs.utcNowSource not found: the SDK changed its clock hook.");

    private static readonly Lock Gate = new();

    public static AmazonS3Client CreateClient(S3Endpoint endpoint, SigningCredentials credentials)
    {
        AWSCredentials sdkCredentials = credentials.SessionToken is null
            ? new BasicAWSCredentials(credentials.AccessKeyId, credentials.SecretAccessKey)
            : new SessionAWSCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken);
        var config = new AmazonS3Config { ForcePathStyle = endpoint.PathStyle };
        if (endpoint.Host is { } host)
        {
            // S3-compatible server: the host is pinned, the region only scopes the signature.
            config.ServiceURL = $"{endpoint.Scheme}://{host}";
            config.AuthenticationRegion = endpoint.Region;
        }
        else
        {
            // AWS: the SDK picks the host from the region itself, an independent check of ours.
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(endpoint.Region);
        }

        return new AmazonS3Client(sdkCredentials, config);
    }

    /// <summary>
    /// The SDK's URL; <paramref name="uploadId"/>/<paramref name="partNumber"/> go in as the
    /// request's own properties, the type as <c>ContentType</c> and the size as the
    /// <c>Content-Length</c> header, all of which the SDK signs.
    /// </summary>
    public static string Presign(
        AmazonS3Client client,
        S3Endpoint endpoint,
        ObjectMethod method,
        string bucket,
        string key,
        int expiresInSeconds,
        DateTime signingTimeUtc,
        string? uploadId = null,
        int? partNumber = null,
        string? contentType = null,
        long? contentLength = null)
    {
        var request = new GetPreSignedUrlRequest
        {
            BucketName = bucket,
            Key = key,
            Verb = method switch
            {
                ObjectMethod.Get => HttpVerb.GET,
                ObjectMethod.Put => HttpVerb.PUT,
                _ => HttpVerb.DELETE,
            },
            Protocol = endpoint.UseSsl ? Protocol.HTTPS : Protocol.HTTP,
            Expires = signingTimeUtc.AddSeconds(expiresInSeconds),
        };
        if (uploadId is not null)
        {
            request.UploadId = uploadId;
        }

        if (partNumber is { } part)
        {
            request.PartNumber = part;
        }

        if (contentType is not null)
        {
            request.ContentType = contentType;
        }

        if (contentLength is { } length)
        {
            request.Headers.ContentLength = length;
        }

        lock (Gate)
        {
            object? previous = ClockField.GetValue(null);
            ClockField.SetValue(null, new Func<DateTime>(() => signingTimeUtc));
            try
            {
                return client.GetPreSignedURL(request);
            }
            finally
            {
                ClockField.SetValue(null, previous);
            }
        }
    }
}
