using Sluice.Core.Accounts;
using Sluice.Core.Signing;
using Sluice.Core.Providers;

namespace Sluice.Server.Storage;

/// <summary>Signs one object URL for an account. Sluice's own signer serves; the AWS SDK's is there to be measured against.</summary>
public interface IObjectUrlSigner
{
    string Sign(AwsAccount account, string bucket, string key, ObjectMethod method, SigningCredentials credentials, int expiresInSeconds, DateTimeOffset signingTime, UploadConstraint constraint = default);
}
