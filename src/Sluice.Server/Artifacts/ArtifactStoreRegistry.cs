using System.Collections.Concurrent;
using Sluice.Core.Artifacts;
using Sluice.Core.Credentials;

namespace Sluice.Server.Artifacts;

/// <summary>
/// The stores named in the server's stores file (<c>SLUICE_CONFIG</c>), read once at start so that
/// a wrong file stops the start with its file:line messages. Each store connects on first use (its
/// secret read, its credentials resolved); a store that fails to connect is tried again on the next
/// request, so a secret mounted late does not need a restart.
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

    /// <summary>The store's session, connecting it the first time.</summary>
    /// <exception cref="StoreConnectionException">Its secret cannot be read or it has no credentials.</exception>
    public async Task<ArtifactStoreSession> ConnectAsync(ArtifactStore store, CancellationToken cancellationToken)
    {
        var session = _sessions.GetOrAdd(store.Name, _ => new Lazy<Task<ArtifactStoreSession>>(() => CreateAsync(store)));
        try
        {
            return await session.Value.WaitAsync(cancellationToken);
        }
        catch (StoreConnectionException)
        {
            _sessions.TryRemove(new KeyValuePair<string, Lazy<Task<ArtifactStoreSession>>>(store.Name, session));
            throw;
        }
    }

    // Not the request's token: one request giving up must not fail the connection others wait on.
    private async Task<ArtifactStoreSession> CreateAsync(ArtifactStore store)
    {
        StoreConnection connection = StoreConnectionResolver.Resolve(store, _secrets.Read(store.SecretName));
        ArtifactClient client = await ArtifactClient.ConnectAsync(connection, new TransferOptions(), _environment, CancellationToken.None, _defaultChain);
        return new ArtifactStoreSession(client);
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
