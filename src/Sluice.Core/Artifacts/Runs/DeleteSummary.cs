namespace Sluice.Core.Artifacts.Runs;

/// <summary>What a delete removed: files and their bytes, and the unfinished multipart uploads aborted.</summary>
public sealed record DeleteSummary(int Files, long Bytes, int UploadsAborted);
