using Amazon.Runtime;
using Sluice.Core.Credentials;

namespace Sluice.Core.Providers.S3;

/// <summary>
/// The AWS SDK's view of our cached default chain: every request asks the
/// <see cref="CachedCredentialProvider"/>, which refreshes temporary credentials ahead of their
/// expiry, so a long transfer (or a sidecar's sync) outlives any one session.
/// </summary>
internal sealed class ChainCredentials(CachedCredentialProvider provider) : AWSCredentials
{
    public override ImmutableCredentials GetCredentials() => GetCredentialsAsync().GetAwaiter().GetResult();

    public override async Task<ImmutableCredentials> GetCredentialsAsync()
    {
        SourcedCredentials current = await provider.GetAsync(CancellationToken.None);
        return new ImmutableCredentials(current.Credentials.AccessKeyId, current.Credentials.SecretAccessKey, current.Credentials.SessionToken ?? "");
    }
}
