using System.Text.Json.Serialization;

namespace Sluice.Server.Artifacts;

/// <summary><c>DELETE /artifacts/{store}/runs/{run}/files</c>: what went.</summary>
public sealed record ArtifactDeleteResponse(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("files")] int Files,
    [property: JsonPropertyName("bytes")] long Bytes,
    [property: JsonPropertyName("uploadsAborted")] int UploadsAborted);
