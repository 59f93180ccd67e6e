using System.Text.Json.Serialization;

namespace Sluice.Server.Artifacts;

/// <summary><c>GET /artifacts/{store}/runs</c>: a page of runs; <c>next</c>, when there is more, is the <c>after</c> of the next page.</summary>
public sealed record StoreRunsResponse(
    [property: JsonPropertyName("store")] string Store,
    [property: JsonPropertyName("runs")] IReadOnlyList<StoreRunEntry> Runs,
    [property: JsonPropertyName("next")] string? Next);

public sealed record StoreRunEntry(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("files")] int Files,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("lastModified")] DateTimeOffset? LastModified);
