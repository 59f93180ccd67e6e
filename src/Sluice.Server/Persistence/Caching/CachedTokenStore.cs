using Sluice.Core.Access;

namespace Sluice.Server.Persistence.Caching;

/// <summary>Access tokens answered from <see cref="DatabaseCache"/>, on the same terms as <see cref="CachedAccountStore"/>.</summary>
public sealed class CachedTokenStore(DatabaseCache cache, PostgresChangeListener changes) : ITokenStore
{
    public async Task<bool> CreateAsync(AccessToken token, byte[] secretHash, CancellationToken cancellationToken)
    {
        bool created = await cache.Tokens.CreateAsync(token, secretHash, cancellationToken);
        if (created)
        {
            await WrittenAsync(token.Id);
        }

        return created;
    }

    public Task<AccessToken?> FindBySecretHashAsync(byte[] secretHash, CancellationToken cancellationToken) => cache.FindTokenAsync(secretHash, cancellationToken);

    public Task<IReadOnlyList<AccessToken>> ListAsync(CancellationToken cancellationToken) => cache.Tokens.ListAsync(cancellationToken);

    public async Task<bool> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        bool revoked = await cache.Tokens.RevokeAsync(id, at, cancellationToken);
        await WrittenAsync(id);
        return revoked;
    }

    /// <summary>
    /// After a write: the listener applied it already (and re-read the row), or, on SQLite or
    /// without a listener in step, the row is re-read here.
    /// </summary>
    private async Task WrittenAsync(string id)
    {
        if (!await changes.CatchUpAsync())
        {
            await cache.TokenWrittenAsync(id);
        }
    }
}
