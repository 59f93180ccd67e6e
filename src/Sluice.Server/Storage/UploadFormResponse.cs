using System.Text.Json.Serialization;

namespace Sluice.Server.Storage;

/// <summary>A signed form: post every field (in any order), then the file as the last field, to <c>url</c>.</summary>
public sealed record UploadFormResponse(
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("fields")] IReadOnlyDictionary<string, string> Fields,
    [property: JsonPropertyName("expiresAt")] DateTime ExpiresAt,
    [property: JsonPropertyName("note"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Note);
