namespace Sluice.Core.Artifacts.Stores.Connections;

/// <summary>How a <c>wasb</c> store authenticates: which one of its secret's credentials it uses.</summary>
public enum WasbCredential
{
    /// <summary>The storage account key: every call, and links signed here (service SAS).</summary>
    AccountKey,

    /// <summary>A SAS token someone else signed: calls within what it grants, and no links (it cannot sign them).</summary>
    SasToken,
}

/// <summary>
/// An Azure Blob store: the account's blob endpoint (<see cref="ServiceUri"/>, the URL's host or a
/// connection string's <c>BlobEndpoint</c>, e.g. Azurite's), the account's name, and one credential.
/// </summary>
public sealed class WasbStoreConnection(ArtifactStore store, Uri serviceUri, string accountName, WasbCredential credential, byte[]? accountKey, string? sasToken, string secretSource)
    : StoreConnection(store, secretSource)
{
    /// <summary><c>https://account.blob.core.windows.net/</c>: what container names follow.</summary>
    public Uri ServiceUri { get; } = serviceUri;

    public string AccountName { get; } = accountName;

    public WasbCredential Credential { get; } = credential;

    /// <summary>The account key, decoded; set when <see cref="Credential"/> is <see cref="WasbCredential.AccountKey"/>.</summary>
    public byte[]? AccountKey { get; } = accountKey;

    /// <summary>The SAS query (no leading '?'); set when <see cref="Credential"/> is <see cref="WasbCredential.SasToken"/>.</summary>
    public string? SasToken { get; } = sasToken;

    public override string ToString() =>
        $"{Store.Name}: {Store.BucketUrl} at {ServiceUri.GetLeftPart(UriPartial.Path)}, settings from {SecretSource}, "
        + (Credential == WasbCredential.AccountKey ? $"account key of {AccountName}" : "a SAS token");
}
