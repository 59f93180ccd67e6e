using Sluice.Core.Accounts.Azure;

namespace Sluice.Server.Persistence;

/// <summary>Where <see cref="AzureAccount"/> and <see cref="AzureContainer"/> resources are kept. Secrets are encrypted by the implementation.</summary>
public interface IAzureResourceStore
{
    Task<AzureAccount?> FindAccountAsync(string id, CancellationToken cancellationToken);

    Task<AzureContainer?> FindContainerAsync(string id, CancellationToken cancellationToken);

    Task<IReadOnlyList<AzureAccount>> ListAccountsAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<AzureContainer>> ListContainersAsync(CancellationToken cancellationToken);

    /// <summary>Creates or replaces; true when it was created.</summary>
    Task<bool> PutAsync(AzureAccount account, CancellationToken cancellationToken);

    /// <summary>Creates or replaces; true when it was created.</summary>
    Task<bool> PutAsync(AzureContainer container, CancellationToken cancellationToken);

    /// <summary>True when there was an account to delete.</summary>
    Task<bool> DeleteAccountAsync(string id, CancellationToken cancellationToken);

    /// <summary>True when there was a container to delete.</summary>
    Task<bool> DeleteContainerAsync(string id, CancellationToken cancellationToken);
}
