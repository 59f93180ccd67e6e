using System.Collections.Concurrent;
using Sluice.Core.Accounts;

namespace Sluice.Server.Persistence;

/// <summary>
/// Keeps accounts in memory in front of the embedded SQLite store. Only this process writes
/// that file, and every write goes through here and drops the entry first, so a read never sees
/// a replaced or deleted account. Not used with PostgreSQL, where other instances write too.
/// Unknown ids are not cached, and past <see cref="Capacity"/> entries the cache starts over.
/// </summary>
public sealed class CachedAccountStore(IAccountStore inner) : IAccountStore
{
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<string, AwsAccount> _accounts = new(StringComparer.Ordinal);

    public IAccountStore Inner => inner;

    public async Task<AwsAccount?> FindAsync(string id, CancellationToken cancellationToken)
    {
        if (_accounts.TryGetValue(id, out AwsAccount? account))
        {
            return account;
        }

        account = await inner.FindAsync(id, cancellationToken);
        if (account is not null)
        {
            if (_accounts.Count >= Capacity)
            {
                _accounts.Clear();
            }

            _accounts[id] = account;
        }

        return account;
    }

    public Task<IReadOnlyList<AwsAccount>> ListAsync(CancellationToken cancellationToken) => inner.ListAsync(cancellationToken);

    public async Task<bool> PutAsync(AwsAccount account, CancellationToken cancellationToken)
    {
        _accounts.TryRemove(account.Id, out _);
        try
        {
            return await inner.PutAsync(account, cancellationToken);
        }
        finally
        {
            // A read that ran during the write may have cached the old row.
            _accounts.TryRemove(account.Id, out _);
        }
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        _accounts.TryRemove(id, out _);
        try
        {
            return await inner.DeleteAsync(id, cancellationToken);
        }
        finally
        {
            _accounts.TryRemove(id, out _);
        }
    }
}
