namespace Sluice.Core.Artifacts.Stores.Connections;

/// <summary>
/// How to reach one store, resolved from its secret by <see cref="StoreConnectionResolver"/>: what
/// every kind has here; <see cref="S3StoreConnection"/> and <see cref="WasbStoreConnection"/> add
/// their cloud's endpoint and credentials. <c>ArtifactClient.ConnectAsync</c> opens the store of its kind.
/// </summary>
public abstract class StoreConnection(ArtifactStore store, string secretSource)
{
    public ArtifactStore Store { get; } = store;

    /// <summary>Where the settings came from (for messages).</summary>
    public string SecretSource { get; } = secretSource;
}
