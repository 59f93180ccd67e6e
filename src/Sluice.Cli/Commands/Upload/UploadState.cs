using System.Text.Json.Serialization;

namespace Sluice.Cli.Commands.Upload;

/// <summary>
/// What a re-run needs to resume an upload: where it goes, the file as it was (size and
/// modification time), the part size its parts were cut with, and S3's upload id. Never a token.
/// </summary>
public sealed record UploadState(
    [property: JsonPropertyName("version")] int Version,
    [property: JsonPropertyName("server")] string Server,
    [property: JsonPropertyName("account")] string Account,
    [property: JsonPropertyName("bucket")] string Bucket,
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("keyGenerated")] bool KeyGenerated,
    [property: JsonPropertyName("file")] string File,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("modifiedUtc")] DateTime ModifiedUtc,
    [property: JsonPropertyName("partSize")] long PartSize,
    [property: JsonPropertyName("contentType")] string? ContentType,
    [property: JsonPropertyName("uploadId")] string UploadId,
    [property: JsonPropertyName("startedUtc")] DateTime StartedUtc)
{
    public const int CurrentVersion = 1;
}
