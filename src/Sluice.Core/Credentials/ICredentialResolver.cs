using Sluice.Core.Accounts;
using Sluice.Core.Signing;

namespace Sluice.Core.Credentials;

/// <summary>Finds the credentials an account signs with: its own keys or a credential source.</summary>
public interface ICredentialResolver
{
    /// <exception cref="CredentialsUnavailableException">No source yielded credentials.</exception>
    ValueTask<SigningCredentials> ResolveAsync(AwsAccount account, CancellationToken cancellationToken);
}
