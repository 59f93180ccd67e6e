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
            await changes.CatchUpAsync();
            await cache.TokenWrittenAsync(token.Id);
        }

        return created;
    }

    public Task<AccessToken?> FindBySecretHashAsync(byte[] secretHash, CancellationToken cancellationToken) => cache.FindTokenAsync(secretHash, cancellationToken);

    public Task<IReadOnlyList<AccessToken>> ListAsync(CancellationToken cancellationToken) => cache.Tokens.ListAsync(cancellationToken);

    public async Task<bool> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        bool revoked = await cache.Tokens.RevokeAsync(id, at, cancellationToken);
        await changes.CatchUpAsync();
        await cache.TokenWrittenAsync(id);
        return revoked;
    }
}
