using System.Collections.Concurrent;
using Amazon.S3;
using Amazon.S3.Model;
using Sluice.Core.Accounts;
using Sluice.Core.Addressing;
using Sluice.Core.Signing;
using Sluice.Core.Providers;

namespace Sluice.Server.Storage;

/// <summary>
/// AWSSDK.S3's <c>GetPreSignedURL</c> in Sluice's place (<c>Sluice:Signer=aws-sdk</c>), so a load
/// test can show what our signer buys end to end. One client per account and key is kept; the
/// SDK signs at its own clock.
/// </summary>
public sealed class AwsSdkUrlSigner : IObjectUrlSigner, IDisposable
{
    private readonly ConcurrentDictionary<(string Account, string AccessKeyId), AmazonS3Client> _clients = new();

    public string Sign(AwsAccount account, string bucket, string key, ObjectMethod method, SigningCredentials credentials, int expiresInSeconds, DateTimeOffset signingTime, UploadConstraint constraint = default)
    {
        AmazonS3Client client = _clients.GetOrAdd((account.Id, credentials.AccessKeyId), _ => S3ClientFactory.Create(account.Endpoint, credentials));
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
            Protocol = account.UseSsl ? Protocol.HTTPS : Protocol.HTTP,
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

    public void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }
    }
}
