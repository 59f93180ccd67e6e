namespace Sluice.Core.Artifacts.Runs;

/// <summary>A file in a run: its path inside the run (e.g. <c>outputs/model.bin</c>), size, ETag and last change.</summary>
public sealed record RemoteFile(string Path, string Key, long Size, string ETag, DateTimeOffset? LastModified);
