using System.Text.Json.Serialization;

namespace Sluice.Server.Artifacts;

/// <summary>
/// <c>GET /artifacts/{store}/runs/{run}/logs</c>: lines, and the cursor to send back for what
/// comes after them (<c>last_file</c>, <c>last_time</c>, Polyaxon's names); <c>more</c> says that
/// more is already stored (ask again now) rather than not yet written (ask again later).
/// </summary>
public sealed record RunLogsResponse(
    [property: JsonPropertyName("logs")] IReadOnlyList<RunLogEntry> Logs,
    [property: JsonPropertyName("last_file")] string? LastFile,
    [property: JsonPropertyName("last_time")] DateTimeOffset? LastTime,
    [property: JsonPropertyName("more")] bool More);

/// <summary>One line, with the fields of Polyaxon's <c>V1Log</c>.</summary>
public sealed record RunLogEntry(
    [property: JsonPropertyName("timestamp")] DateTimeOffset Timestamp,
    [property: JsonPropertyName("node")] string? Node,
    [property: JsonPropertyName("pod")] string? Pod,
    [property: JsonPropertyName("container")] string? Container,
    [property: JsonPropertyName("value")] string Value);
