using System.Text.Json;
using System.Text.Json.Serialization;
using Sluice.Cli.Commands.Artifacts;
using Sluice.Cli.Commands.Upload;

namespace Sluice.Cli.Commands;

/// <summary>
/// Every JSON shape the client commands read or write, source-generated: no reflection, so the
/// client keeps working when trimmed or compiled ahead of time (issue 18).
/// </summary>
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(TokenCreateRequest))]
[JsonSerializable(typeof(PartsCompletion))]
[JsonSerializable(typeof(UploadState))]
[JsonSerializable(typeof(FollowedLine))]
internal sealed partial class ClientJson : JsonSerializerContext;

/// <summary><c>POST /tokens</c>, as <c>sluice tokens create</c> sends it.</summary>
internal sealed record TokenCreateRequest(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("admin")] bool Admin,
    [property: JsonPropertyName("accounts")] string[] Accounts,
    [property: JsonPropertyName("buckets")] string[] Buckets,
    [property: JsonPropertyName("prefixes")] string[] Prefixes,
    [property: JsonPropertyName("methods")] string[] Methods,
    [property: JsonPropertyName("max-expiration"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? MaxExpiration,
    [property: JsonPropertyName("max-upload-bytes"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? MaxUploadBytes,
    [property: JsonPropertyName("expires-in"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? ExpiresIn);

/// <summary>The body that completes a multipart upload: <c>{"parts": [{"partNumber", "etag"}]}</c>, ascending.</summary>
internal sealed record PartsCompletion([property: JsonPropertyName("parts")] IReadOnlyList<CompletedPart> Parts);

internal sealed record CompletedPart(
    [property: JsonPropertyName("partNumber")] int PartNumber,
    [property: JsonPropertyName("etag")] string ETag);
