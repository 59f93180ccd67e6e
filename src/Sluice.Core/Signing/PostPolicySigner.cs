using System.Security.Cryptography;
using System.Text;
using Sluice.Core.Addressing;
using Sluice.Core.Providers;

namespace Sluice.Core.Signing;

/// <summary>
/// Browser form uploads with SigV4: builds the POST policy for a <see cref="PostPolicyRequest"/>,
/// base64-encodes it (that text is the string to sign) and signs it with the same derived key as
/// a presigned URL of that day and region.
/// </summary>
public sealed class PostPolicySigner
{
    public const string Algorithm = "AWS4-HMAC-SHA256";

    private readonly TimeProvider _time;
    private readonly SigningKeyCache _keys = new();

    public PostPolicySigner(TimeProvider time) => _time = time;

    /// <summary>Signs at the current time of the injected <see cref="TimeProvider"/>.</summary>
    public PostPolicyForm Sign(PostPolicyRequest request) => Sign(request, _time.GetUtcNow());

    public PostPolicyForm Sign(PostPolicyRequest request, DateTimeOffset signingTime)
    {
        ArgumentNullException.ThrowIfNull(request);
        Validate(request, signingTime);

        DateTime utc = signingTime.UtcDateTime;
        string region = request.Endpoint.Region;
        int date = SigV4Format.DateOf(utc);
        Span<byte> stamp = stackalloc byte[16];
        SigV4Format.WriteTimestamp(stamp, utc);
        string amzDate = Encoding.ASCII.GetString(stamp);
        string credential = $"{request.Credentials.AccessKeyId}/{amzDate[..8]}/{region}/s3/aws4_request";

        string policy = Convert.ToBase64String(PostPolicyDocument.Write(request, credential, amzDate));
        string signature = Signature(policy, _keys.Get(request.Credentials.SecretAccessKey, date, region));

        var fields = new List<KeyValuePair<string, string>>(10)
        {
            new("key", request.Key ?? request.KeyPrefix + "${filename}"),
        };
        if (request.ContentType is { } type)
        {
            fields.Add(new("Content-Type", type));
        }

        if (request.SuccessActionStatus is { } status)
        {
            fields.Add(new("success_action_status", status.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        fields.Add(new("x-amz-algorithm", Algorithm));
        fields.Add(new("x-amz-credential", credential));
        fields.Add(new("x-amz-date", amzDate));
        if (request.Credentials.SessionToken is { } token)
        {
            fields.Add(new("x-amz-security-token", token));
        }

        fields.Add(new("policy", policy));
        fields.Add(new("x-amz-signature", signature));

        BucketAddress address = request.Endpoint.Locate(request.Bucket);
        return new PostPolicyForm($"{address.Scheme}://{address.Authority}{address.PathPrefix}", fields, request.Expiration);
    }

    /// <summary>
    /// The <c>x-amz-signature</c> of a policy already base64-encoded (the string to sign), for
    /// <paramref name="credentials"/> in <paramref name="region"/> on <paramref name="signingTime"/>'s UTC date.
    /// </summary>
    public static string SignPolicy(string policyBase64, SigningCredentials credentials, string region, DateTimeOffset signingTime)
    {
        ArgumentNullException.ThrowIfNull(policyBase64);
        ArgumentNullException.ThrowIfNull(credentials);
        return Signature(policyBase64, SigningKeyCache.Derive(credentials.SecretAccessKey, SigV4Format.DateOf(signingTime.UtcDateTime), region));
    }

    private static string Signature(string policyBase64, byte[] signingKey)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(signingKey, Encoding.ASCII.GetBytes(policyBase64), mac);
        return Convert.ToHexStringLower(mac);
    }

    private static void Validate(PostPolicyRequest request, DateTimeOffset signingTime)
    {
        ArgumentNullException.ThrowIfNull(request.Endpoint);
        ArgumentNullException.ThrowIfNull(request.Credentials);
        if (BucketName.Problem(request.Bucket) is { } bucketProblem)
        {
            throw new ArgumentException($"Bucket {bucketProblem}.", nameof(request));
        }

        if ((request.Key is null) == (request.KeyPrefix is null))
        {
            throw new ArgumentException("Give exactly one of Key and KeyPrefix.", nameof(request));
        }

        if (request.Key is { } key && ObjectKey.Problem(key) is { } keyProblem)
        {
            throw new ArgumentException($"Key {keyProblem}.", nameof(request));
        }

        // A prefix must itself be a valid start of a key (it may be empty: any key).
        if (request.KeyPrefix is { Length: > 0 } prefix && ObjectKey.Problem(prefix) is { } prefixProblem)
        {
            throw new ArgumentException($"KeyPrefix {prefixProblem}.", nameof(request));
        }

        if (request.ContentType is not null && request.ContentTypePrefix is not null)
        {
            throw new ArgumentException("Give at most one of ContentType and ContentTypePrefix.", nameof(request));
        }

        if (request.ContentType is { Length: 0 })
        {
            throw new ArgumentException("ContentType must not be empty (use ContentTypePrefix = \"\" for any type).", nameof(request));
        }

        if (request.ContentLength is { } range && (range.Min < 0 || range.Max < range.Min))
        {
            throw new ArgumentOutOfRangeException(nameof(request), range, "ContentLength must have 0 <= Min <= Max.");
        }

        if (request.SuccessActionStatus is { } status && status is not (200 or 201 or 204))
        {
            throw new ArgumentOutOfRangeException(nameof(request), status, "SuccessActionStatus must be 200, 201 or 204.");
        }

        if (request.Expiration <= signingTime)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.Expiration, "Expiration must be after the signing time.");
        }
    }
}
