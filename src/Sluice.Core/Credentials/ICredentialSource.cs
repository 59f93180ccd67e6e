namespace Sluice.Core.Credentials;

/// <summary>One place credentials can come from: environment, profile, web identity, container, instance metadata.</summary>
public interface ICredentialSource
{
    /// <summary>The name an operator sees in <c>$check</c> answers and 503 problems.</summary>
    string Name { get; }

    /// <exception cref="CredentialSourceException">Not configured here, or it failed; the message says which.</exception>
    Task<SourcedCredentials> FetchAsync(CancellationToken cancellationToken);
}

/// <summary>Why one source gave no credentials; never holds a secret.</summary>
public sealed class CredentialSourceException(string message, Exception? inner = null) : Exception(message, inner);
