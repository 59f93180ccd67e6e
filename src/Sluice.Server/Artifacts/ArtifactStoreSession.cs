using Sluice.Core.Artifacts;
using Sluice.Core.Artifacts.Stores;
using Sluice.Core.Artifacts.Stores.Connections;

namespace Sluice.Server.Artifacts;

/// <summary>One connected store: its client for listing and deleting, and (through it) the credentials that sign its download links.</summary>
public sealed class ArtifactStoreSession(ArtifactClient client, StoreSecret secret) : IDisposable
{
    public ArtifactClient Client { get; } = client;

    /// <summary>The secret the session was made from.</summary>
    public StoreSecret Secret { get; } = secret;

    public StoreConnection Connection => Client.Connection;

    public ArtifactStore Store => Client.Connection.Store;

    public void Dispose() => Client.Dispose();
}
