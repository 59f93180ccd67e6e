using System.Text.Json.Serialization;

namespace Sluice.Server.Storage;

/// <summary>
/// The seed's <c>{"url": ...}</c>, with the method the URL is for and when it stops working.
/// <c>note</c> says why <c>expiresAt</c> is sooner than asked, when it is; <c>key</c> is the
/// key Sluice chose, for an upload request without a <c>filename</c>; <c>headers</c> are the ones the
/// upload must send exactly as given, because they are signed (a declared type and size).
/// </summary>
public sealed record PresignResponse(
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("expiresAt")] DateTime ExpiresAt,
    [property: JsonPropertyName("note"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Note = null,
    [property: JsonPropertyName("key"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Key = null,
    [property: JsonPropertyName("headers"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string>? Headers = null);
