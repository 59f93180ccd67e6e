namespace Sluice.Core.Artifacts.Transfers;

/// <summary>What a push or pull did, file by file.</summary>
public sealed class TransferSummary(IReadOnlyList<FileResult> files, TimeSpan elapsed)
{
    public IReadOnlyList<FileResult> Files { get; } = files;

    public TimeSpan Elapsed { get; } = elapsed;

    public int Transferred => Files.Count(f => f.Outcome is FileOutcome.Transferred or FileOutcome.Resumed);

    public int Skipped => Files.Count(f => f.Outcome == FileOutcome.Skipped);

    public int Failed => Files.Count(f => f.Outcome == FileOutcome.Failed);

    /// <summary>Bytes actually sent or received (not those found in place).</summary>
    public long BytesMoved => Files.Sum(f => f.BytesMoved);

    public long TotalBytes => Files.Sum(f => f.Size);

    public bool Succeeded => Failed == 0;
}
