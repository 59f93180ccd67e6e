using Sluice.Core.Accounts;

namespace Sluice.Core.Credentials;

/// <summary>
/// An account's own keys when it has them; otherwise the AWS default chain, cached and
/// refreshed by one <see cref="CachedCredentialProvider"/> shared by every keyless account.
/// </summary>
public sealed class AccountCredentialResolver(CachedCredentialProvider defaultChain) : ICredentialResolver
{
    public const string AccountKeysSource = "account keys";

    public async ValueTask<SourcedCredentials> ResolveAsync(AwsAccount account, CancellationToken cancellationToken)
    {
        if (account.ExplicitCredentials is { } credentials)
        {
            return new SourcedCredentials(credentials, AccountKeysSource);
        }

        try
        {
            return await defaultChain.GetAsync(cancellationToken);
        }
        catch (CredentialSourceException e)
        {
            throw new CredentialsUnavailableException($"Account '{account.Id}' has no access-key-id, and {e.Message}.");
        }
    }
}
