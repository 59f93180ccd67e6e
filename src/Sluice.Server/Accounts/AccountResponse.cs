using System.Text.Json.Serialization;
using Sluice.Core.Accounts;

namespace Sluice.Server.Accounts;

/// <summary>
/// An account as the API shows it: every field but the secret key and session token, which
/// are only reported as present or not.
/// </summary>
public sealed record AccountResponse(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("resourceType")] string ResourceType,
    [property: JsonPropertyName("region")] string Region,
    [property: JsonPropertyName("access-key-id")] string? AccessKeyId,
    [property: JsonPropertyName("host")] string? Host,
    [property: JsonPropertyName("path-style")] bool PathStyle,
    [property: JsonPropertyName("use-ssl")] bool UseSsl,
    [property: JsonPropertyName("credentials")] string Credentials,
    [property: JsonPropertyName("has-session-token")] bool HasSessionToken)
{
    public static AccountResponse From(AwsAccount account) => new(
        account.Id,
        "AwsAccount",
        account.Region,
        account.AccessKeyId,
        account.Host?.ToString(),
        account.PathStyle,
        account.UseSsl,
        account.HasExplicitKeys ? "access-keys" : "default-chain",
        account.SessionToken is not null);
}

public sealed record AccountListResponse([property: JsonPropertyName("items")] IReadOnlyList<AccountResponse> Items);
