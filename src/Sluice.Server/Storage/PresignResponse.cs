using System.Text.Json.Serialization;

namespace Sluice.Server.Storage;

/// <summary>
/// The seed's <c>{"url": ...}</c>, with the method the URL is for and when it stops working.
/// <c>note</c> says why <c>expiresAt</c> is sooner than asked, when it is.
/// </summary>
public sealed record PresignResponse(
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("expiresAt")] DateTime ExpiresAt,
    [property: JsonPropertyName("note"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Note = null);
