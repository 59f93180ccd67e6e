using Sluice.Core.Accounts.Azure;
using Sluice.Server.Persistence.Resources;

namespace Sluice.Server.Persistence.Caching;

/// <summary>Azure resources answered from <see cref="DatabaseCache"/>, on the same terms as <see cref="CachedAccountStore"/>.</summary>
public sealed class CachedAzureResourceStore(DatabaseCache cache, PostgresChangeListener changes) : IAzureResourceStore
{
    public Task<AzureAccount?> FindAccountAsync(string id, CancellationToken cancellationToken) =>
        cache.FindResourceAsync<AzureAccount>(StoredResource.KeyOf(AzureResources.AccountType, id), cancellationToken);

    public Task<AzureContainer?> FindContainerAsync(string id, CancellationToken cancellationToken) =>
        cache.FindResourceAsync<AzureContainer>(StoredResource.KeyOf(AzureResources.ContainerType, id), cancellationToken);

    public async Task<IReadOnlyList<AzureAccount>> ListAccountsAsync(CancellationToken cancellationToken) =>
        (await cache.Resources.ListAsync(AzureResources.AccountType, cancellationToken)).Select(AzureResources.Materialize).OfType<AzureAccount>().ToList();

    public async Task<IReadOnlyList<AzureContainer>> ListContainersAsync(CancellationToken cancellationToken) =>
        (await cache.Resources.ListAsync(AzureResources.ContainerType, cancellationToken)).Select(AzureResources.Materialize).OfType<AzureContainer>().ToList();

    public Task<bool> PutAsync(AzureAccount account, CancellationToken cancellationToken) => PutAsync(AzureResources.Store(account), cancellationToken);

    public Task<bool> PutAsync(AzureContainer container, CancellationToken cancellationToken) => PutAsync(AzureResources.Store(container), cancellationToken);

    public Task<bool> DeleteAccountAsync(string id, CancellationToken cancellationToken) =>
        DeleteAsync(StoredResource.KeyOf(AzureResources.AccountType, id), cancellationToken);

    public Task<bool> DeleteContainerAsync(string id, CancellationToken cancellationToken) =>
        DeleteAsync(StoredResource.KeyOf(AzureResources.ContainerType, id), cancellationToken);

    private async Task<bool> PutAsync(StoredResource resource, CancellationToken cancellationToken)
    {
        bool created = await cache.Resources.PutAsync(resource, cancellationToken);
        await WrittenAsync(resource.Key);
        return created;
    }

    private async Task<bool> DeleteAsync(string key, CancellationToken cancellationToken)
    {
        bool deleted = await cache.Resources.DeleteAsync(key, cancellationToken);
        await WrittenAsync(key);
        return deleted;
    }

    private async Task WrittenAsync(string key)
    {
        if (!await changes.CatchUpAsync())
        {
            await cache.ResourceWrittenAsync(key);
        }
    }
}
