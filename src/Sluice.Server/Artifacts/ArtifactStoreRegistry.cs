using System.Collections.Concurrent;
using Sluice.Core.Artifacts;
using Sluice.Core.Credentials;
using Sluice.Core.Artifacts.Stores;
using Sluice.Core.Artifacts.Stores.Connections;
using Sluice.Core.Transfers;

namespace Sluice.Server.Artifacts;

/// <summary>
/// The stores named in the server's stores file (<c>SLUICE_CONFIG</c>), read once at start so that
/// a wrong file stops the start with its file:line messages. Each store connects on first use (its
/// secret read, its credentials resolved); a store that fails to connect is tried again on the next
/// request, so a secret mounted late does not need a restart. The secret is read again on every
/// request (a few small files): when its values changed, as when Kubernetes updates a rotated
/// Secret in the mounted directory, the store connects anew with them.
/// </summary>
public sealed class ArtifactStoreRegistry : IDisposable
{
    private readonly ArtifactStores? _stores;
    private readonly StoreSecretReader _secrets;
    private readonly CredentialEnvironment _environment;
    private readonly CachedCredentialProvider _defaultChain;
    private readonly ConcurrentDictionary<string, Lazy<Task<ArtifactStoreSession>>> _sessions = new(StringComparer.Ordinal);

    /// <param name="configPath">The stores file, or null for a server without stores.</param>
    /// <exception cref="StoresConfigException">The file is missing or wrong.</exception>
    public ArtifactStoreRegistry(string? configPath, string? secretsDirectory, CredentialEnvironment environment, CachedCredentialProvider defaultChain)
    {
        _stores = configPath is null ? null : StoresConfigReader.Load(configPath);
        _secrets = new StoreSecretReader(secretsDirectory, environment);
        _environment = environment;
        _defaultChain = defaultChain;
    }

    public IReadOnlyList<ArtifactStore> All => _stores?.All ?? [];

    public ArtifactStore? Find(string name) => _stores?.Find(name);

    /// <summary>The store's session, connecting it the first time or when its secret changed.</summary>
    /// <exception cref="StoreConnectionException">Its secret cannot be read or it has no credentials.</exception>
    public async Task<ArtifactStoreSession> ConnectAsync(ArtifactStore store, CancellationToken cancellationToken)
    {
        StoreSecret secret = _secrets.Read(store.SecretName);
        var entry = _sessions.GetOrAdd(store.Name, _ => Connect(store, secret));
        ArtifactStoreSession session = await WaitAsync(store, entry, cancellationToken);
        if (session.Secret.SameValues(secret))
        {
            return session;
        }

        // Rotated. The old session is left to the requests still using it, not disposed under them
        // (its pooled connections close once idle); rotations are rare.
        var fresh = Connect(store, secret);
        entry = _sessions.AddOrUpdate(store.Name, fresh, (_, current) => current == entry ? fresh : current);
        return await WaitAsync(store, entry, cancellationToken);
    }

    private async Task<ArtifactStoreSession> WaitAsync(ArtifactStore store, Lazy<Task<ArtifactStoreSession>> entry, CancellationToken cancellationToken)
    {
        try
        {
            return await entry.Value.WaitAsync(cancellationToken);
        }
        catch (StoreConnectionException)
        {
            _sessions.TryRemove(new KeyValuePair<string, Lazy<Task<ArtifactStoreSession>>>(store.Name, entry));
            throw;
        }
    }

    private Lazy<Task<ArtifactStoreSession>> Connect(ArtifactStore store, StoreSecret secret) => new(() => CreateAsync(store, secret));

    // Not the request's token: one request giving up must not fail the connection others wait on.
    private async Task<ArtifactStoreSession> CreateAsync(ArtifactStore store, StoreSecret secret)
    {
        StoreConnection connection = StoreConnectionResolver.Resolve(store, secret);
        ArtifactClient client = await ArtifactClient.ConnectAsync(connection, new TransferOptions(), _environment, CancellationToken.None, _defaultChain);
        return new ArtifactStoreSession(client, secret);
    }

    public void Dispose()
    {
        foreach (var session in _sessions.Values)
        {
            if (session.IsValueCreated && session.Value.IsCompletedSuccessfully)
            {
                session.Value.Result.Dispose();
            }
        }
    }
}
