using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Sluice.Core.Access;
using Sluice.Core.Accounts;
using Sluice.Server.Persistence.Resources;

namespace Sluice.Server.Persistence.Caching;

/// <summary>
/// Every token, account and cloud resource of the database, held in memory (secrets decrypted only here) so that
/// a request is authenticated and signed without a query. The copy is whole: loaded at start,
/// reloaded when the change listener reconnects or finds an announcement missing, and kept up to
/// date row by row as changes are announced (PostgreSQL) or made by this process.
/// <para>
/// Each change re-reads its row from the database under one lock, so later re-reads apply later
/// states: announcements and this process's own writes can arrive in any order and the copy
/// still ends on the newest row. Lookups never take the lock.
/// </para>
/// <para>
/// A miss while the copy is current is almost always a row that does not exist; only a row that
/// another instance committed in the last moments, before its announcement arrived, is missing.
/// Misses are therefore checked in the database only within a small budget, so a flood of
/// guessed tokens costs a bounded number of queries, and a good token is never refused for it
/// (it is a hit).
/// </para>
/// </summary>
public sealed class DatabaseCache : IDisposable
{
    /// <summary>Database look-ups for misses, per second (and twice that in a burst), for the whole instance.</summary>
    public const int MissLookupsPerSecond = 25;

    private readonly SqlAccountStore _accounts;
    private readonly SqlTokenStore _tokens;
    private readonly SqlResourceStore _resources;
    private readonly SemaphoreSlim _changeLock = new(1, 1);
    private readonly TokenBucketRateLimiter _missLookups = new(new TokenBucketRateLimiterOptions
    {
        TokenLimit = MissLookupsPerSecond * 2,
        TokensPerPeriod = MissLookupsPerSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    });

    private volatile ConcurrentDictionary<string, AwsAccount> _accountsById = new(StringComparer.Ordinal);
    private volatile ConcurrentDictionary<string, AccessToken> _tokensByHash = new(StringComparer.Ordinal);
    private volatile ConcurrentDictionary<string, string> _hashByTokenId = new(StringComparer.Ordinal);

    // Cloud resources by Type/id, typed (AzureResources.Materialize): a request finds what it signs with, ready.
    private volatile ConcurrentDictionary<string, object> _resourcesByKey = new(StringComparer.Ordinal);

    public DatabaseCache(SqlAccountStore accounts, SqlTokenStore tokens, SqlResourceStore resources, CacheFreshness freshness)
    {
        _accounts = accounts;
        _tokens = tokens;
        _resources = resources;
        Freshness = freshness;
    }

    public CacheFreshness Freshness { get; }

    /// <summary>The database behind the cache, for writes and listings.</summary>
    public SqlAccountStore Accounts => _accounts;

    /// <summary>The tokens' table behind the cache, for writes and listings.</summary>
    public SqlTokenStore Tokens => _tokens;

    /// <summary>The cloud resources' table behind the cache, for writes and listings.</summary>
    public SqlResourceStore Resources => _resources;

    public int AccountCount => _accountsById.Count;

    public int TokenCount => _tokensByHash.Count;

    public async Task<AwsAccount?> FindAccountAsync(string id, CancellationToken cancellationToken)
    {
        CacheState state = Freshness.State;
        if (state != CacheState.Expired && _accountsById.TryGetValue(id, out AwsAccount? account))
        {
            return account;
        }

        return await LookUpMissAsync(state, id, _accounts.FindAsync, cancellationToken);
    }

    public async Task<AccessToken?> FindTokenAsync(byte[] secretHash, CancellationToken cancellationToken)
    {
        CacheState state = Freshness.State;
        if (state != CacheState.Expired && _tokensByHash.TryGetValue(Convert.ToHexString(secretHash), out AccessToken? token))
        {
            return token;
        }

        return await LookUpMissAsync(state, secretHash, _tokens.FindBySecretHashAsync, cancellationToken);
    }

    /// <summary>The resource <c>Type/id</c> as its type (<see cref="AzureResources.Materialize"/>), or null.</summary>
    public async Task<T?> FindResourceAsync<T>(string key, CancellationToken cancellationToken)
        where T : class
    {
        CacheState state = Freshness.State;
        if (state != CacheState.Expired && _resourcesByKey.TryGetValue(key, out object? resource))
        {
            return resource as T;
        }

        StoredResource? row = await LookUpMissAsync(state, key, _resources.FindAsync, cancellationToken);
        return row is null ? null : AzureResources.Materialize(row) as T;
    }

    /// <summary>Replaces the whole copy with what the database holds now.</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await _changeLock.WaitAsync(cancellationToken);
        try
        {
            IReadOnlyList<AwsAccount> accounts = await _accounts.ListAsync(cancellationToken);
            IReadOnlyList<StoredToken> tokens = await _tokens.ListStoredAsync(cancellationToken);
            IReadOnlyList<StoredResource> resources = await _resources.ListAsync(null, cancellationToken);
            var resourcesByKey = new ConcurrentDictionary<string, object>(StringComparer.Ordinal);
            foreach (StoredResource row in resources)
            {
                if (AzureResources.Materialize(row) is { } resource)
                {
                    resourcesByKey[row.Key] = resource;
                }
            }

            var accountsById = new ConcurrentDictionary<string, AwsAccount>(StringComparer.Ordinal);
            foreach (AwsAccount account in accounts)
            {
                accountsById[account.Id] = account;
            }

            var tokensByHash = new ConcurrentDictionary<string, AccessToken>(StringComparer.Ordinal);
            var hashByTokenId = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
            foreach (StoredToken stored in tokens)
            {
                string hash = Convert.ToHexString(stored.SecretHash);
                tokensByHash[hash] = stored.Token;
                hashByTokenId[stored.Token.Id] = hash;
            }

            // Tokens before the map that finds them by id: a refresh in between is impossible (the lock).
            _tokensByHash = tokensByHash;
            _hashByTokenId = hashByTokenId;
            _accountsById = accountsById;
            _resourcesByKey = resourcesByKey;
        }
        finally
        {
            _changeLock.Release();
        }
    }

    /// <summary>
    /// Re-reads one account. When the database cannot be read, the entry is dropped instead: a
    /// later lookup then asks the database, or answers 503, but never serves the old row.
    /// </summary>
    public Task RefreshAccountAsync(string id, CancellationToken cancellationToken) => RefreshAsync(
        () => _accounts.FindAsync(id, cancellationToken),
        account => _accountsById[id] = account,
        () => _accountsById.TryRemove(id, out _),
        cancellationToken);

    /// <summary>Re-reads one token by its id, on the same terms as <see cref="RefreshAccountAsync"/>.</summary>
    public Task RefreshTokenAsync(string id, CancellationToken cancellationToken) => RefreshAsync(
        () => _tokens.FindStoredAsync(id, cancellationToken),
        stored =>
        {
            string hash = Convert.ToHexString(stored.SecretHash);
            _tokensByHash[hash] = stored.Token;
            _hashByTokenId[id] = hash;
        },
        () =>
        {
            if (_hashByTokenId.TryRemove(id, out string? hash))
            {
                _tokensByHash.TryRemove(hash, out _);
            }
        },
        cancellationToken);

    /// <summary>Re-reads one cloud resource (<c>Type/id</c>), on the same terms as <see cref="RefreshAccountAsync"/>.</summary>
    public Task RefreshResourceAsync(string key, CancellationToken cancellationToken) => RefreshAsync(
        async () => await _resources.FindAsync(key, cancellationToken) is { } row ? AzureResources.Materialize(row) : null,
        resource => _resourcesByKey[key] = resource,
        () => _resourcesByKey.TryRemove(key, out _),
        cancellationToken);

    /// <summary>
    /// After this process wrote an account: refresh it (not under the request's token: a client
    /// gone after the commit must not leave the old row cached). When the database is gone again
    /// the write stands and the entry stays dropped, so the next lookup asks the database.
    /// </summary>
    public Task AccountWrittenAsync(string id) => AfterWriteAsync(RefreshAccountAsync(id, CancellationToken.None));

    /// <summary>After this process wrote a token, as <see cref="AccountWrittenAsync"/>.</summary>
    public Task TokenWrittenAsync(string id) => AfterWriteAsync(RefreshTokenAsync(id, CancellationToken.None));

    /// <summary>After this process wrote a cloud resource, as <see cref="AccountWrittenAsync"/>.</summary>
    public Task ResourceWrittenAsync(string key) => AfterWriteAsync(RefreshResourceAsync(key, CancellationToken.None));

    public void Dispose()
    {
        _changeLock.Dispose();
        _missLookups.Dispose();
    }

    /// <summary>Under the change lock: the row read now is kept, or, missing or unreadable, the entry is dropped.</summary>
    private async Task RefreshAsync<T>(Func<Task<T?>> read, Action<T> keep, Action drop, CancellationToken cancellationToken)
        where T : class
    {
        await _changeLock.WaitAsync(cancellationToken);
        try
        {
            T? row = null;
            try
            {
                row = await read();
            }
            finally
            {
                if (row is null)
                {
                    drop();
                }
            }

            if (row is not null)
            {
                keep(row);
            }
        }
        finally
        {
            _changeLock.Release();
        }
    }

    private static async Task AfterWriteAsync(Task refresh)
    {
        try
        {
            await refresh;
        }
        catch (Exception e) when (DatabaseFailures.IsUnavailable(e))
        {
        }
    }

    private async Task<T?> LookUpMissAsync<TKey, T>(CacheState state, TKey key, Func<TKey, CancellationToken, Task<T?>> lookUp, CancellationToken cancellationToken)
        where T : class
    {
        switch (state)
        {
            case CacheState.Expired:
                throw new DatabaseUnavailableException(
                    $"the database has been unreachable for {Freshness.SinceConfirmed.TotalSeconds:0} s, longer than the {Freshness.MaxStaleness.TotalSeconds:0} s cached tokens and accounts may be used");
            case CacheState.Stale:
                throw new DatabaseUnavailableException(
                    $"the database has not answered for {Freshness.SinceConfirmed.TotalSeconds:0} s, and only tokens and accounts known before can be used until it is back");
        }

        using RateLimitLease lease = _missLookups.AttemptAcquire();
        return lease.IsAcquired ? await lookUp(key, cancellationToken) : null;
    }
}
