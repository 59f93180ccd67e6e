namespace Sluice.Core.Artifacts.Transfers;

/// <summary>What happened to one file of a transfer.</summary>
public enum FileOutcome
{
    /// <summary>Sent or received in full.</summary>
    Transferred,

    /// <summary>A multipart upload left by an interrupted push was finished: only the missing parts were sent.</summary>
    Resumed,

    /// <summary>Already there with the same size and checksum: nothing sent.</summary>
    Skipped,

    Failed,
}

/// <summary>The result for one file: its path in the run, size, outcome, bytes actually moved, and why it failed.</summary>
public sealed record FileResult(string Path, long Size, FileOutcome Outcome, long BytesMoved, string? Error = null);

/// <summary>
/// Progress of a push or pull. Calls come from many threads at once; implementations must be
/// thread-safe and quick (they run on the transfer's path).
/// </summary>
public interface ITransferProgress
{
    /// <summary>The work is known: this many files and bytes in all (before any is skipped).</summary>
    void Planned(int files, long bytes);

    /// <summary><paramref name="bytes"/> more bytes were moved, or found already in place (skipped files and resumed parts count too).</summary>
    void Advanced(long bytes);

    /// <summary>One file is finished, whatever its outcome.</summary>
    void Finished(FileResult result);
}

/// <summary>Progress nobody watches.</summary>
public sealed class NoProgress : ITransferProgress
{
    public static NoProgress Instance { get; } = new();

    public void Planned(int files, long bytes)
    {
    }

    public void Advanced(long bytes)
    {
    }

    public void Finished(FileResult result)
    {
    }
}
