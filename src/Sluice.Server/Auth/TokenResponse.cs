using System.Text.Json.Serialization;
using Sluice.Core.Access;

namespace Sluice.Server.Auth;

/// <summary>A token as the API shows it. <see cref="Token"/>, the secret, is only set in the answer that creates it.</summary>
public sealed record TokenResponse(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("scope")] TokenScopeJson Scope,
    [property: JsonPropertyName("createdAt")] DateTime CreatedAt,
    [property: JsonPropertyName("expiresAt")] DateTime? ExpiresAt,
    [property: JsonPropertyName("revokedAt")] DateTime? RevokedAt,
    [property: JsonPropertyName("token"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Token = null)
{
    public static TokenResponse From(AccessToken token, string? secret = null) => new(
        token.Id, token.Name, TokenScopeJson.From(token.Scope), token.CreatedAt.UtcDateTime, token.ExpiresAt?.UtcDateTime, token.RevokedAt?.UtcDateTime, secret);
}

public sealed record TokenListResponse([property: JsonPropertyName("items")] IReadOnlyList<TokenResponse> Items);
