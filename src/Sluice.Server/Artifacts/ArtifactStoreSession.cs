using Sluice.Core.Artifacts;

namespace Sluice.Server.Artifacts;

/// <summary>One connected store: its client for listing and deleting, and (through it) the credentials that sign its download links.</summary>
public sealed class ArtifactStoreSession(ArtifactClient client) : IDisposable
{
    public ArtifactClient Client { get; } = client;

    public StoreConnection Connection => Client.Connection;

    public ArtifactStore Store => Client.Connection.Store;

    public void Dispose() => Client.Dispose();
}
