using Sluice.Core.Accounts;
using Sluice.Core.Signing;
using Sluice.Core.Providers;

namespace Sluice.Server.Storage;

/// <summary>The default: addressing from the account's endpoint, then <see cref="SigV4Presigner"/>.</summary>
public sealed class SluiceUrlSigner(SigV4Presigner presigner) : IObjectUrlSigner
{
    public string Sign(AwsAccount account, string bucket, string key, ObjectMethod method, SigningCredentials credentials, int expiresInSeconds, DateTimeOffset signingTime, UploadConstraint constraint = default)
    {
        var address = account.Endpoint.Locate(bucket);
        var request = new PresignRequest(method, address.Scheme, address.Authority, address.PathPrefix, key, account.Region, credentials, expiresInSeconds);
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
}
