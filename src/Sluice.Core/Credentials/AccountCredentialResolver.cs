using Sluice.Core.Accounts;
using Sluice.Core.Signing;

namespace Sluice.Core.Credentials;

/// <summary>
/// Signs with the account's own keys. Accounts without keys need the AWS default credential
/// chain, which this resolver does not reach: they are answered with a clear refusal.
/// </summary>
public sealed class AccountCredentialResolver : ICredentialResolver
{
    public ValueTask<SigningCredentials> ResolveAsync(AwsAccount account, CancellationToken cancellationToken) =>
        account.ExplicitCredentials is { } credentials
            ? ValueTask.FromResult(credentials)
            : throw new CredentialsUnavailableException(
                $"Account '{account.Id}' has no access-key-id, so it needs the AWS default credential chain, which this server does not provide yet; store access keys on the account.");
}
