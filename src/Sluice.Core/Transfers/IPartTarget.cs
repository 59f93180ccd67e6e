using Microsoft.Win32.SafeHandles;

namespace Sluice.Core.Transfers;

/// <summary>
/// Where the parts of one multipart upload go: the store's own API (artifact pushes, signed
/// here) or presigned URLs a Sluice server hands out (<c>sluice upload</c>). Only the source of
/// the authority differs; <see cref="MultipartSender"/> does the rest.
/// </summary>
public interface IPartTarget
{
    /// <summary>Whether <see cref="PartBody.Digest"/> must hold the SHA-256 too (a payload signed here).</summary>
    bool WantsSha256 { get; }

    /// <summary>Stores one part; throws when it was not stored.</summary>
    Task<PartReceipt> SendAsync(PartBody part, CancellationToken cancellationToken);

    /// <summary>Whether a failure is worth another try after a pause (<see cref="Backoff"/>); a target whose client retries by itself says no.</summary>
    bool IsTransient(Exception failure, CancellationToken cancellationToken);
}

/// <summary>One part's bytes: <see cref="Length"/> bytes of <see cref="File"/> from <see cref="Offset"/>, digested already.</summary>
public sealed record PartBody(int Number, SafeFileHandle File, long Offset, long Length, PayloadDigest Digest)
{
    /// <summary>The bytes, read as they are sent (nothing is held in memory).</summary>
    public Stream OpenRead() => new FileRangeStream(File, Offset, Length);
}

/// <summary>What the store said of a part: its ETag, and whether that ETag is the MD5 of the bytes (not under SSE-KMS).</summary>
public sealed record PartReceipt(string ETag, bool ETagIsContentDigest);

/// <summary>A part a multipart upload already holds (from listing it, to resume).</summary>
public sealed record StoredPart(int PartNumber, string ETag, long Size);

/// <summary>What a <see cref="MultipartSender"/> tells whoever watches it; calls come from parallel parts.</summary>
public interface IPartProgress
{
    /// <summary>Stored parts were compared with the local bytes: <paramref name="kept"/> match (<paramref name="keptBytes"/> in all), <paramref name="different"/> are sent again.</summary>
    void Compared(int kept, long keptBytes, int different);

    /// <summary>A part went out and was stored.</summary>
    void Sent(int partNumber, int partCount, long bytes);

    /// <summary>A part failed in a way worth another try, which follows after a pause.</summary>
    void Retrying(int partNumber, string reason);
}
