using System.Text.Json.Serialization;

namespace Sluice.Server.Storage;

/// <summary><c>POST …/{bucket}?uploads</c>: the upload started (a declared type is the object's, set now: parts send none), and S3's limits for its parts.</summary>
public sealed record MultipartCreated(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("uploadId")] string UploadId,
    [property: JsonPropertyName("minPartBytes")] long MinPartBytes,
    [property: JsonPropertyName("maxPartBytes")] long MaxPartBytes,
    [property: JsonPropertyName("maxParts")] int MaxParts);

/// <summary>One part the store holds: what a resuming client compares with its own.</summary>
public sealed record UploadedPart(
    [property: JsonPropertyName("partNumber")] int PartNumber,
    [property: JsonPropertyName("etag")] string ETag,
    [property: JsonPropertyName("size")] long Size);

/// <summary><c>GET …/{key}?uploadId=</c>: the parts uploaded so far, ascending.</summary>
public sealed record UploadedParts(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("uploadId")] string UploadId,
    [property: JsonPropertyName("parts")] IReadOnlyList<UploadedPart> Parts);

/// <summary>One signed UploadPart URL.</summary>
public sealed record PartUrl(
    [property: JsonPropertyName("partNumber")] int PartNumber,
    [property: JsonPropertyName("url")] string Url);

/// <summary><c>GET …/{key}?uploadId=&amp;partNumbers=</c>: URLs for the parts asked for.</summary>
public sealed record PartUrls(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("uploadId")] string UploadId,
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("expiresAt")] DateTime ExpiresAt,
    [property: JsonPropertyName("parts")] IReadOnlyList<PartUrl> Parts,
    [property: JsonPropertyName("note"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Note);

/// <summary><c>POST …/{key}?uploadId=</c>: the object the parts became.</summary>
public sealed record MultipartCompleted(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("etag")] string ETag,
    [property: JsonPropertyName("size")] long Size);
