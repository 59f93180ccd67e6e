using Sluice.Core.Artifacts;
using Sluice.Core.Credentials;
using Sluice.Core.Signing;

namespace Sluice.Server.Artifacts;

/// <summary>One connected store: its client for listing and deleting, and the credentials that sign its download links.</summary>
public sealed class ArtifactStoreSession(ArtifactClient client, CachedCredentialProvider defaultChain) : IDisposable
{
    public ArtifactClient Client { get; } = client;

    public StoreConnection Connection => Client.Connection;

    public ArtifactStore Store => Client.Connection.Store;

    /// <summary>The secret's keys, or the default chain's current (refreshed ahead of expiry) credentials.</summary>
    /// <exception cref="CredentialSourceException">A keyless store and no source in the chain.</exception>
    public async ValueTask<SigningCredentials> CredentialsAsync(CancellationToken cancellationToken) =>
        Connection.Keys ?? (await defaultChain.GetAsync(cancellationToken)).Credentials;

    public void Dispose() => Client.Dispose();
}
