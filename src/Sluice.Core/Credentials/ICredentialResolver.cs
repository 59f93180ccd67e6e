using Sluice.Core.Accounts;

namespace Sluice.Core.Credentials;

/// <summary>Finds the credentials an account signs with: its own keys or the default chain.</summary>
public interface ICredentialResolver
{
    /// <exception cref="CredentialsUnavailableException">No source yielded credentials.</exception>
    ValueTask<SourcedCredentials> ResolveAsync(AwsAccount account, CancellationToken cancellationToken);
}
