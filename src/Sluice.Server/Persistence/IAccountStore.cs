using Sluice.Core.Accounts;

namespace Sluice.Server.Persistence;

/// <summary>Where <see cref="AwsAccount"/> resources are kept. Secrets are encrypted by the implementation.</summary>
public interface IAccountStore
{
    Task<AwsAccount?> FindAsync(string id, CancellationToken cancellationToken);

    Task<IReadOnlyList<AwsAccount>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Creates or replaces the account; true when it was created.</summary>
    Task<bool> PutAsync(AwsAccount account, CancellationToken cancellationToken);

    /// <summary>True when there was an account to delete.</summary>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken);
}
