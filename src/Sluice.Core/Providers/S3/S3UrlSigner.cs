using Sluice.Core.Addressing;
using Sluice.Core.Signing;

namespace Sluice.Core.Providers.S3;

/// <summary>S3 object URLs and POST forms for one endpoint and set of credentials: addressing from the endpoint, then <see cref="SigV4Presigner"/> or <see cref="PostPolicySigner"/>.</summary>
public sealed class S3UrlSigner(SigV4Presigner presigner, PostPolicySigner forms, S3Endpoint endpoint, SigningCredentials credentials) : IUrlSigner, IFormSigner
{
    /// <summary>The last bucket addressed: a request, a batch or a key list signs for one bucket, so it is worked out once.</summary>
    private Located? _located;

    public DateTimeOffset? CredentialsExpireAt => credentials.ExpiresAt;

    public string Sign(string bucket, string key, ObjectMethod method, int expiresInSeconds, DateTimeOffset signingTime, UploadConstraint constraint = default)
    {
        BucketAddress address = Locate(bucket);
        var request = new PresignRequest(method, address.Scheme, address.Authority, address.PathPrefix, key, endpoint.Region, credentials, expiresInSeconds);
        if (!constraint.IsEmpty)
        {
            request = request with
            {
                UploadId = constraint.UploadId,
                PartNumber = constraint.PartNumber,
                ContentType = constraint.ContentType,
                ContentLength = constraint.ContentLength,
            };
        }

        return presigner.Presign(request, signingTime);
    }

    private BucketAddress Locate(string bucket)
    {
        Located? located = _located;
        if (located is null || !string.Equals(located.Bucket, bucket, StringComparison.Ordinal))
        {
            located = new Located(bucket, endpoint.Locate(bucket));
            _located = located;
        }

        return located.Address;
    }

    public PostPolicyForm SignForm(FormPolicy policy, DateTimeOffset signingTime) =>
        forms.Sign(
            new PostPolicyRequest(endpoint, policy.Bucket, credentials, policy.Expiration)
            {
                Key = policy.Key,
                KeyPrefix = policy.KeyPrefix,
                ContentLength = policy.ContentLength,
                ContentType = policy.ContentType,
                ContentTypePrefix = policy.ContentTypePrefix,
                SuccessActionStatus = policy.SuccessActionStatus,
            },
            signingTime);

    private sealed record Located(string Bucket, BucketAddress Address);
}
