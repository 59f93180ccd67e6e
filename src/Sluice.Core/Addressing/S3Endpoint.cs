using System.Net;

namespace Sluice.Core.Addressing;

/// <summary>Where an account's buckets live and how their URLs are addressed.</summary>
public sealed record S3Endpoint(string Region, EndpointHost? Host, bool PathStyle, bool UseSsl)
{
    public string Scheme => UseSsl ? "https" : "http";

    /// <summary>The service host: the configured one, or AWS's regional S3 host.</summary>
    public string ServiceAuthority => Host?.Authority(UseSsl) ?? AwsServiceHost(Region);

    /// <summary>
    /// The signed host and the path prefix for a bucket, following AWS's published S3 endpoint
    /// rules (which every AWS SDK generates its addressing from), so our URLs match theirs:
    /// a dotted bucket goes path-style, because under TLS the wildcard certificate cannot match
    /// it; only on a plain-HTTP custom host, and only when every label could be a bucket name on
    /// its own, is it a virtual host. One deliberate difference: an IP-literal host is always
    /// path-style (the SDK builds <c>bucket.127.0.0.1</c> there, which cannot resolve).
    /// </summary>
    public BucketAddress Locate(string bucket)
    {
        string service = ServiceAuthority;
        return UsePathStyle(bucket)
            ? new BucketAddress(Scheme, service, "/" + bucket + "/")
            : new BucketAddress(Scheme, bucket + "." + service, "/");
    }

    private bool UsePathStyle(string bucket)
    {
        if (PathStyle || (Host is { } host && IsIpLiteral(host.Host)))
        {
            return true;
        }

        if (!bucket.Contains('.'))
        {
            return false;
        }

        return UseSsl || Host is null || !EveryLabelIsBucketSized(bucket);
    }

    private static bool EveryLabelIsBucketSized(string bucket)
    {
        foreach (Range label in bucket.AsSpan().Split('.'))
        {
            int length = label.GetOffsetAndLength(bucket.Length).Length;
            if (length is < 3 or > 63)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsIpLiteral(string host) => host.StartsWith('[') || IPAddress.TryParse(host, out _);

    private static string AwsServiceHost(string region) =>
        region.StartsWith("cn-", StringComparison.Ordinal) ? $"s3.{region}.amazonaws.com.cn" : $"s3.{region}.amazonaws.com";
}

/// <summary>The scheme, signed host and path prefix of one bucket's object URLs.</summary>
public readonly record struct BucketAddress(string Scheme, string Authority, string PathPrefix);
