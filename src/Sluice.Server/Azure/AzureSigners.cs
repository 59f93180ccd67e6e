using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Azure.Core;
using Microsoft.Extensions.Options;
using Sluice.Core.Accounts.Azure;
using Sluice.Core.Credentials;
using Sluice.Core.Providers;
using Sluice.Core.Providers.Azure;
using Sluice.Server.Hosting;

namespace Sluice.Server.Azure;

/// <summary>
/// The SAS signer of a request: the account key's (a service SAS, nothing fetched), or a user
/// delegation key's, fetched with the account's application credentials or with the workload
/// identity and kept by <see cref="UserDelegationKeys"/>. An account whose secret changes gets a
/// credential (and keys) of its own: the cache key carries a digest of what identifies it.
/// </summary>
public sealed class AzureSigners(UserDelegationKeys keys, IOptions<SluiceOptions> options)
{
    private readonly ConcurrentDictionary<string, TokenCredential> _applications = new(StringComparer.Ordinal);
    private readonly Lazy<TokenCredential> _workload = new(() => EntraCredentials.Workload(Environment.GetEnvironmentVariable("AZURE_AUTHORITY_HOST")));

    /// <exception cref="CredentialSourceException">No user delegation key could be had.</exception>
    public async Task<IUrlSigner> ForContainerAsync(AzureAccount account, AzureContainer container, CancellationToken cancellationToken)
    {
        if (account.SasType == AzureSasType.Account)
        {
            return new AzureUrlSigner(new BlobSasSigner(container.Storage, account.Key!), container.ServiceUri);
        }

        string principal = Principal(account);
        TokenCredential credential = _applications.GetOrAdd(principal, _ =>
            EntraCredentials.ClientSecret(account.TenantId!, account.ClientId!, account.ClientSecret!, account.AuthorityHost));
        DelegationKey key = await keys.GetAsync(principal, credential, container.ServiceUri, cancellationToken);
        return new AzureUrlSigner(new BlobSasSigner(container.Storage, key), container.ServiceUri);
    }

    /// <summary>The blob service of <paramref name="storage"/> for a workload-identity path (<see cref="SluiceOptions.AzureBlobEndpoint"/>).</summary>
    public Uri WorkloadServiceUri(string storage) =>
        new(options.Value.AzureBlobEndpoint.Replace("{storage}", storage, StringComparison.Ordinal).TrimEnd('/') + "/");

    /// <exception cref="CredentialSourceException">No token from the workload identity, or no key from the service.</exception>
    public async Task<IUrlSigner> ForWorkloadAsync(string storage, CancellationToken cancellationToken)
    {
        Uri service = WorkloadServiceUri(storage);
        DelegationKey key = await keys.GetAsync("workload", _workload.Value, service, cancellationToken);
        return new AzureUrlSigner(new BlobSasSigner(storage, key), service);
    }

    private static string Principal(AzureAccount account)
    {
        byte[] digest = SHA256.HashData(Encoding.UTF8.GetBytes($"{account.TenantId}\n{account.ClientId}\n{account.ClientSecret}\n{account.AuthorityHost}"));
        return $"account/{account.Id}/{Convert.ToHexStringLower(digest.AsSpan(0, 8))}";
    }
}
