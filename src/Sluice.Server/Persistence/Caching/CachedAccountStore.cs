using Sluice.Core.Accounts;

namespace Sluice.Server.Persistence.Caching;

/// <summary>
/// Accounts answered from <see cref="DatabaseCache"/>. A write goes to the database and waits
/// until every listening instance has applied it (<see cref="PostgresChangeListener.CatchUpAsync"/>),
/// or refreshes the cached row itself when that cannot be known, so every instance reads the
/// write once it is acknowledged. Listings read the database.
/// </summary>
public sealed class CachedAccountStore(DatabaseCache cache, PostgresChangeListener changes) : IAccountStore
{
    public Task<AwsAccount?> FindAsync(string id, CancellationToken cancellationToken) => cache.FindAccountAsync(id, cancellationToken);

    public Task<IReadOnlyList<AwsAccount>> ListAsync(CancellationToken cancellationToken) => cache.Accounts.ListAsync(cancellationToken);

    public async Task<bool> PutAsync(AwsAccount account, CancellationToken cancellationToken)
    {
        bool created = await cache.Accounts.PutAsync(account, cancellationToken);
        await WrittenAsync(account.Id);
        return created;
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        bool deleted = await cache.Accounts.DeleteAsync(id, cancellationToken);
        await WrittenAsync(id);
        return deleted;
    }

    /// <summary>
    /// After a write: the listener applied it already (and re-read the row), or, on SQLite or
    /// without a listener in step, the row is re-read here.
    /// </summary>
    private async Task WrittenAsync(string id)
    {
        if (!await changes.CatchUpAsync())
        {
            await cache.AccountWrittenAsync(id);
        }
    }
}
