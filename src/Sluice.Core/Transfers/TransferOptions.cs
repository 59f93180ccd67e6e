namespace Sluice.Core.Transfers;

/// <summary>
/// How transfers are cut up and how many run at once. Files larger than <see cref="PartSize"/>
/// go multipart in parts of that size (grown for files that would need more than 10,000 parts);
/// at most <see cref="Concurrency"/> requests (whole small files or parts) are in flight. Parts
/// are streamed from and to disk, so memory does not grow with the part size or the file size.
/// </summary>
public sealed record TransferOptions
{
    public const long MiB = 1024 * 1024;
    public const long DefaultPartSize = 16 * MiB;
    public const long MinPartSize = 5 * MiB;
    public const long MaxPartSize = 5L * 1024 * MiB;
    public const int DefaultConcurrency = 16;
    public const int MaxConcurrency = 128;
    public const int MaxParts = 10_000;

    public long PartSize { get; init; } = DefaultPartSize;

    public int Concurrency { get; init; } = DefaultConcurrency;

    /// <summary>
    /// How many byte ranges of one file are fetched at once (within <see cref="Concurrency"/>).
    /// Four, as rclone's default: on a store that shares the client's cores, each further stream
    /// costs more in contention than it brings, and the parts of a wave of four are checked while
    /// the next wave arrives (bench/results/artifacts-native-2026-12-04.md).
    /// </summary>
    public int StreamsPerFile { get; init; } = DefaultStreamsPerFile;

    public const int DefaultStreamsPerFile = 4;

    /// <summary>Why the options cannot be used, or null.</summary>
    public string? Problem() =>
        PartSize is < MinPartSize or > MaxPartSize ? $"the part size must be from 5 MiB to 5 GiB (S3's limits; got {Sizes.Format(PartSize)})"
        : Concurrency is < 1 or > MaxConcurrency ? $"the concurrency must be from 1 to {MaxConcurrency} (got {Concurrency})"
        : StreamsPerFile is < 1 or > MaxConcurrency ? $"the streams per file must be from 1 to {MaxConcurrency} (got {StreamsPerFile})"
        : null;

    /// <summary>The part size a file of <paramref name="size"/> bytes is uploaded with: <see cref="PartSize"/>, grown in whole MiB to stay within 10,000 parts.</summary>
    public long PartSizeFor(long size)
    {
        if (size <= PartSize * MaxParts)
        {
            return PartSize;
        }

        long needed = (size + MaxParts - 1) / MaxParts;
        return (needed + MiB - 1) / MiB * MiB;
    }

    /// <summary>Whether a file of <paramref name="size"/> bytes goes multipart.</summary>
    public bool IsMultipart(long size) => size > PartSize;
}
