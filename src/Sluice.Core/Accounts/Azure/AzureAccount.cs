namespace Sluice.Core.Accounts.Azure;

/// <summary>How an <see cref="AzureAccount"/> signs (Aidbox's <c>sasType</c>).</summary>
public enum AzureSasType
{
    /// <summary>With the storage account's key: a service SAS.</summary>
    Account,

    /// <summary>With a user delegation key the service hands an Entra ID application (<c>tenantId</c>, <c>clientId</c>, <c>clientSecret</c>).</summary>
    UserDelegation,
}

/// <summary>
/// Aidbox's <c>AzureAccount</c>: a storage account key, or an Entra ID application's credentials
/// for user delegation SAS. A class, not a record: the secrets must never reach a generated <c>ToString</c>.
/// </summary>
public sealed class AzureAccount(string id, AzureSasType sasType, byte[]? key, string? tenantId, string? clientId, string? clientSecret, Uri? authorityHost)
{
    public string Id { get; } = id;

    public AzureSasType SasType { get; } = sasType;

    /// <summary>The storage account key, decoded; set for <see cref="AzureSasType.Account"/>.</summary>
    public byte[]? Key { get; } = key;

    public string? TenantId { get; } = tenantId;

    public string? ClientId { get; } = clientId;

    public string? ClientSecret { get; } = clientSecret;

    /// <summary>Where Entra ID tokens are asked for (a sovereign cloud's, or a local one); null for the public cloud's.</summary>
    public Uri? AuthorityHost { get; } = authorityHost;

    public override string ToString() => $"AzureAccount({Id}, {SasType}, secrets redacted)";
}
