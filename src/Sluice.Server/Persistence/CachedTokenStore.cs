using System.Collections.Concurrent;
using Sluice.Core.Access;

namespace Sluice.Server.Persistence;

/// <summary>
/// Keeps known tokens in memory in front of the embedded SQLite store, on the same terms as
/// <see cref="CachedAccountStore"/>: every write in this process clears it, so a revoke takes
/// effect on the next request. Expiry is checked by the caller on every use.
/// </summary>
public sealed class CachedTokenStore(ITokenStore inner) : ITokenStore
{
    private readonly ConcurrentDictionary<string, AccessToken> _bySecretHash = new(StringComparer.Ordinal);

    public async Task<bool> CreateAsync(AccessToken token, byte[] secretHash, CancellationToken cancellationToken)
    {
        bool created = await inner.CreateAsync(token, secretHash, cancellationToken);
        _bySecretHash.Clear();
        return created;
    }

    public async Task<AccessToken?> FindBySecretHashAsync(byte[] secretHash, CancellationToken cancellationToken)
    {
        string key = Convert.ToHexString(secretHash);
        if (_bySecretHash.TryGetValue(key, out AccessToken? token))
        {
            return token;
        }

        token = await inner.FindBySecretHashAsync(secretHash, cancellationToken);
        if (token is not null)
        {
            if (_bySecretHash.Count >= CachedAccountStore.Capacity)
            {
                _bySecretHash.Clear();
            }

            _bySecretHash[key] = token;
        }

        return token;
    }

    public Task<IReadOnlyList<AccessToken>> ListAsync(CancellationToken cancellationToken) => inner.ListAsync(cancellationToken);

    public async Task<bool> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        _bySecretHash.Clear();
        try
        {
            return await inner.RevokeAsync(id, at, cancellationToken);
        }
        finally
        {
            _bySecretHash.Clear();
        }
    }
}
