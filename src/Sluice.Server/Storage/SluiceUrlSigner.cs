using Sluice.Core.Accounts;
using Sluice.Core.Signing;

namespace Sluice.Server.Storage;

/// <summary>The default: addressing from the account's endpoint, then <see cref="SigV4Presigner"/>.</summary>
public sealed class SluiceUrlSigner(SigV4Presigner presigner) : IObjectUrlSigner
{
    public string Sign(AwsAccount account, string bucket, string key, S3Method method, SigningCredentials credentials, int expiresInSeconds, DateTimeOffset signingTime)
    {
        var address = account.Endpoint.Locate(bucket);
        return presigner.Presign(
            new PresignRequest(method, address.Scheme, address.Authority, address.PathPrefix, key, account.Region, credentials, expiresInSeconds),
            signingTime);
    }
}
