using System.Collections.Concurrent;
using Amazon.S3;
using Sluice.Core.Accounts;
using Sluice.Core.Signing;

namespace Sluice.Core.Providers.S3;

/// <summary>
/// S3 accounts behind the seam: for an account and its resolved credentials, the URL signer
/// (Sluice's own, or the AWS SDK's to measure against) and the object store the server's own calls
/// (multipart create, list, complete, abort; the bucket check) go through.
/// </summary>
public sealed class S3Provider(SigV4Presigner presigner, PostPolicySigner forms, bool sdkSigner = false) : IDisposable
{
    /// <summary>The SDK signer's clients, one per account and key (only when <c>sdkSigner</c>).</summary>
    private readonly ConcurrentDictionary<(string Account, string AccessKeyId), AmazonS3Client> _sdkClients = new();

    public IUrlSigner UrlSigner(AwsAccount account, SigningCredentials credentials)
    {
        var ours = new S3UrlSigner(presigner, forms, account.Endpoint, credentials);
        if (!sdkSigner)
        {
            return ours;
        }

        AmazonS3Client client = _sdkClients.GetOrAdd((account.Id, credentials.AccessKeyId), _ => S3ClientFactory.Create(account.Endpoint, credentials));
        return new SdkS3UrlSigner(client, account.UseSsl, credentials.ExpiresAt, ours);
    }

    /// <summary>The bucket's object store with these credentials; the caller disposes it.</summary>
    public IObjectStore ObjectStore(AwsAccount account, SigningCredentials credentials, string bucket, TimeSpan? timeout = null) =>
        new S3ObjectStore(S3ClientFactory.Create(account.Endpoint, credentials, timeout), bucket, account.Endpoint, _ => ValueTask.FromResult(credentials), ownsClient: true);

    public void Dispose()
    {
        foreach (AmazonS3Client client in _sdkClients.Values)
        {
            client.Dispose();
        }
    }
}
