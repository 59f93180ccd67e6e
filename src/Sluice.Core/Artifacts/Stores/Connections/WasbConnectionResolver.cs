using Sluice.Core.Providers.Azure;

namespace Sluice.Core.Artifacts.Stores.Connections;

/// <summary>
/// Turns a <c>wasb</c> store and its secret into a <see cref="WasbStoreConnection"/>, with the keys
/// Polyaxon's Azure connections use:
/// <list type="bullet">
/// <item><c>AZURE_CONNECTION_STRING</c>: the account, its key (or a SAS) and, with <c>BlobEndpoint</c>,
/// where its blobs are (an emulator, a private endpoint). When set, it alone describes the connection.</item>
/// <item>Otherwise <c>AZURE_ACCOUNT_KEY</c> (base64, as the portal shows it) or <c>AZURE_SAS_TOKEN</c>,
/// at the URL's host; <c>AZURE_ACCOUNT_NAME</c>, when given, must be the URL's account.</item>
/// </list>
/// A key is preferred to a SAS: only a key signs download links.
/// </summary>
public static class WasbConnectionResolver
{
    /// <exception cref="StoreConnectionException">A value is malformed, names another account, or there is no credential.</exception>
    public static WasbStoreConnection Resolve(ArtifactStore store, StoreSecret secret)
    {
        WasbLocation location = store.Wasb ?? throw new ArgumentException("not a wasb store", nameof(store));
        string account = location.AccountName;
        Uri endpoint = location.ServiceUri;
        string? key, sas;
        if (secret.Get(StoreSecret.AzureConnectionString) is { } text)
        {
            string where = $"{StoreSecret.AzureConnectionString} ({secret.Where(StoreSecret.AzureConnectionString)})";
            AzureConnectionString parsed = AzureConnectionString.Parse(text, out string? problem)
                ?? throw new StoreConnectionException($"store {store.Name}: {where} {problem}");
            SameAccount(store, parsed.AccountName, where);
            key = parsed.AccountKey;
            sas = parsed.SharedAccessSignature;
            if (parsed.BlobEndpoint is { } blobEndpoint)
            {
                endpoint = new Uri(blobEndpoint.AbsoluteUri.TrimEnd('/') + "/");
            }
            else if (parsed.Protocol is { } protocol)
            {
                endpoint = new Uri($"{protocol}://{location.Host}/");
            }

            if (key is null && sas is null)
            {
                throw new StoreConnectionException($"store {store.Name}: {where} has neither AccountKey nor SharedAccessSignature");
            }
        }
        else
        {
            SameAccount(store, secret.Get(StoreSecret.AzureAccountName), $"{StoreSecret.AzureAccountName} ({secret.Where(StoreSecret.AzureAccountName)})");
            key = secret.Get(StoreSecret.AzureAccountKey);
            sas = secret.Get(StoreSecret.AzureSasToken);
            if (key is null && sas is null)
            {
                throw new StoreConnectionException(
                    $"store {store.Name}: {secret.Source} has no {StoreSecret.AzureAccountKey}, {StoreSecret.AzureSasToken} or {StoreSecret.AzureConnectionString} for the account {account}");
            }
        }

        if (key is not null)
        {
            byte[] decoded = StorageAccountKey.Decode(key.Trim()) ?? throw new StoreConnectionException(
                $"store {store.Name}: the account key in {secret.Source} is not base64 (copy it as the portal shows it, e.g. ending in '==')");
            return new WasbStoreConnection(store, endpoint, account, WasbCredential.AccountKey, decoded, null, secret.Source);
        }

        return new WasbStoreConnection(store, endpoint, account, WasbCredential.SasToken, null, sas!.TrimStart('?'), secret.Source);
    }

    private static void SameAccount(ArtifactStore store, string? named, string where)
    {
        if (named is not null && !string.Equals(named, store.Wasb!.AccountName, StringComparison.Ordinal))
        {
            throw new StoreConnectionException(
                $"store {store.Name}: {where} names the account '{named}' but schema.bucket ({store.BucketUrl}) is in '{store.Wasb.AccountName}': one account's key is never sent to another");
        }
    }
}
