namespace Sluice.Core.Artifacts.Stores.Connections;

/// <summary>Turns a store and its secret into the connection of its kind.</summary>
public static class StoreConnectionResolver
{
    /// <exception cref="StoreConnectionException">A value is malformed, or the credentials are incomplete.</exception>
    public static StoreConnection Resolve(ArtifactStore store, StoreSecret secret) => store.Kind switch
    {
        StoreKind.Wasb => WasbConnectionResolver.Resolve(store, secret),
        _ => S3ConnectionResolver.Resolve(store, secret),
    };
}
