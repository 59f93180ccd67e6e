using System.Text.Json.Serialization;

namespace Sluice.Server.Artifacts;

/// <summary><c>GET /artifacts</c>: one store the token may use.</summary>
public sealed record ArtifactStoreEntry(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("bucket")] string Bucket,
    [property: JsonPropertyName("description"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Description);
