using System.Text.Json.Serialization;
using Sluice.Core.Accounts.Azure;

namespace Sluice.Server.Azure;

/// <summary>An <c>AzureAccount</c> as the API shows it: never the key or the client secret, only whether they are held.</summary>
public sealed record AzureAccountResponse(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("resourceType")] string ResourceType,
    [property: JsonPropertyName("sasType")] string SasType,
    [property: JsonPropertyName("tenantId"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TenantId,
    [property: JsonPropertyName("clientId"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ClientId,
    [property: JsonPropertyName("authorityHost"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AuthorityHost,
    [property: JsonPropertyName("hasKey")] bool HasKey,
    [property: JsonPropertyName("hasClientSecret")] bool HasClientSecret)
{
    public static AzureAccountResponse From(AzureAccount account) => new(
        account.Id,
        "AzureAccount",
        account.SasType == AzureSasType.UserDelegation ? "userDelegation" : "account",
        account.TenantId,
        account.ClientId,
        account.AuthorityHost?.AbsoluteUri,
        account.Key is not null,
        account.ClientSecret is not null);
}

/// <summary>A reference to another resource, as Aidbox writes one.</summary>
public sealed record ResourceReference(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("resourceType")] string ResourceType);

/// <summary>An <c>AzureContainer</c> as the API shows it.</summary>
public sealed record AzureContainerResponse(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("resourceType")] string ResourceType,
    [property: JsonPropertyName("account")] ResourceReference Account,
    [property: JsonPropertyName("storage")] string Storage,
    [property: JsonPropertyName("container")] string Container,
    [property: JsonPropertyName("extension"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Extension,
    [property: JsonPropertyName("endpoint"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Endpoint)
{
    public static AzureContainerResponse From(AzureContainer container) => new(
        container.Id,
        "AzureContainer",
        new ResourceReference(container.AccountId, "AzureAccount"),
        container.Storage,
        container.Container,
        container.Extension,
        container.Endpoint?.AbsoluteUri);
}

public sealed record AzureResourceListResponse<T>([property: JsonPropertyName("items")] IReadOnlyList<T> Items);
