using Amazon.S3;
using Amazon.S3.Model;

namespace Sluice.Core.Providers.S3;

/// <summary>
/// AWSSDK.S3's <c>GetPreSignedURL</c> in place of <see cref="S3UrlSigner"/> (<c>Sluice:Signer=aws-sdk</c>),
/// so a load test can show what our signer buys end to end. The SDK signs at its own clock; forms
/// (which the SDK cannot sign) go to our signer.
/// </summary>
internal sealed class SdkS3UrlSigner(AmazonS3Client client, bool useSsl, DateTimeOffset? credentialsExpireAt, IFormSigner forms) : IUrlSigner, IFormSigner
{
    public DateTimeOffset? CredentialsExpireAt => credentialsExpireAt;

    public string Sign(string bucket, string key, ObjectMethod method, int expiresInSeconds, DateTimeOffset signingTime, UploadConstraint constraint = default)
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
            Protocol = useSsl ? Protocol.HTTPS : Protocol.HTTP,
            Expires = DateTime.UtcNow.AddSeconds(expiresInSeconds),
        };
        if (constraint.UploadId is { } uploadId && constraint.PartNumber is { } part)
        {
            request.UploadId = uploadId;
            request.PartNumber = part;
        }

        if (constraint.ContentType is { } type)
        {
            request.ContentType = type;
        }

        if (constraint.ContentLength is { } length)
        {
            request.Headers.ContentLength = length;
        }

        return client.GetPreSignedURL(request);
    }

    public PostPolicyForm SignForm(FormPolicy policy, DateTimeOffset signingTime) => forms.SignForm(policy, signingTime);
}
