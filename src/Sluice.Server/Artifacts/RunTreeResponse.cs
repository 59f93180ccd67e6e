using System.Text.Json.Serialization;
using Sluice.Core.Artifacts.Runs;

namespace Sluice.Server.Artifacts;

/// <summary>
/// <c>GET /artifacts/{store}/runs/{run}/tree</c>: the store, the run, and the tree at the path
/// asked for. A directory has <c>files</c> (a count), <c>size</c> (their total) and
/// <c>children</c>; a file has its <c>size</c> and <c>lastModified</c>.
/// </summary>
public sealed record RunTreeResponse(
    [property: JsonPropertyName("store")] string Store,
    [property: JsonPropertyName("run")] string Run,
    [property: JsonPropertyName("tree")] RunTreeEntry Tree);

public sealed record RunTreeEntry(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("files"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Files,
    [property: JsonPropertyName("lastModified"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? LastModified,
    [property: JsonPropertyName("children"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<RunTreeEntry>? Children)
{
    public static RunTreeEntry From(RunTreeNode node) => node.IsDirectory
        ? new RunTreeEntry(node.Name, node.Path, "directory", node.Size, node.Files, null, node.Children.Select(From).ToList())
        : new RunTreeEntry(node.Name, node.Path, "file", node.Size, null, node.LastModified, null);
}
