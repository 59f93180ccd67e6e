using System.Text.Json;
using System.Text.Json.Serialization;
using Sluice.Core.Access;
using Sluice.Core.Signing;
using Sluice.Core.Providers;

namespace Sluice.Server.Auth;

/// <summary>A token's scope as JSON, the same in the database and in API answers.</summary>
public sealed record TokenScopeJson(
    [property: JsonPropertyName("admin")] bool Admin,
    [property: JsonPropertyName("accounts")] IReadOnlyList<string> Accounts,
    [property: JsonPropertyName("buckets")] IReadOnlyList<string> Buckets,
    [property: JsonPropertyName("prefixes")] IReadOnlyList<string> Prefixes,
    [property: JsonPropertyName("methods")] IReadOnlyList<string> Methods,
    [property: JsonPropertyName("max-expiration")] int? MaxExpiration,
    [property: JsonPropertyName("max-upload-bytes"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? MaxUploadBytes = null)
{
    public static TokenScopeJson From(TokenScope scope) => new(
        scope.Admin, scope.Accounts, scope.Buckets, scope.Prefixes, scope.Methods.Select(m => m.ToHttpMethod()).ToList(), scope.MaxExpirationSeconds, scope.MaxUploadBytes);

    public TokenScope ToScope() => new(
        Admin,
        Accounts,
        Buckets,
        Prefixes,
        Methods.Select(m => ObjectMethodNames.TryParse(m, out var method) ? method : throw new JsonException($"unknown method '{m}'")).ToList(),
        MaxExpiration)
    {
        MaxUploadBytes = MaxUploadBytes,
    };

    public static string Serialize(TokenScope scope) => JsonSerializer.Serialize(From(scope));

    public static TokenScope Deserialize(string json) =>
        (JsonSerializer.Deserialize<TokenScopeJson>(json) ?? throw new JsonException("empty scope")).ToScope();
}
