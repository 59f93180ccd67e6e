using System.Buffers;
using System.Security.Cryptography;
using Sluice.Core.Checksums;

namespace Sluice.Core.Transfers;

/// <summary>
/// The ETag S3 gives an object, computed from local bytes. A single PUT's ETag is the hex MD5
/// of the content; a multipart upload's is the MD5 of the parts' binary MD5s, then '-' and the
/// part count, so it depends on the part size. This is how unchanged files are recognised: same
/// size and same ETag, computed with the part size the remote ETag's part count implies. (Objects
/// encrypted with SSE-KMS or SSE-C have other ETags; they are never taken as unchanged.)
/// </summary>
public static class ContentETag
{
    /// <summary>Part sizes other tools commonly use (AWS CLI 8 MiB, rclone 5 MiB, boto 8 MiB, ...), tried when ours does not fit the part count.</summary>
    private static readonly long[] CommonPartSizes = [5, 8, 10, 15, 16, 32, 50, 64, 100, 128, 256, 512];

    /// <summary>
    /// Whether an object stored with <paramref name="encryption"/> has a content digest for ETag:
    /// yes unencrypted or under SSE-S3 (AES256); not under SSE-KMS, whose ETags are opaque.
    /// </summary>
    public static bool IsContentDigest(Amazon.S3.ServerSideEncryptionMethod? encryption) =>
        encryption is null || encryption.Value is "" or "AES256" || encryption == Amazon.S3.ServerSideEncryptionMethod.None;

    /// <summary>The ETag without quotes, lower-case.</summary>
    public static string Normalize(string? etag) => (etag ?? "").Trim().Trim('"').ToLowerInvariant();

    /// <summary>Whether <paramref name="etag"/> is a single PUT's MD5 (32 hex digits).</summary>
    public static bool IsMd5(string etag) => etag.Length == 32 && etag.All(char.IsAsciiHexDigit);

    /// <summary>The part count of a multipart ETag (<c>md5-N</c>), or null.</summary>
    public static int? PartCount(string etag)
    {
        int dash = etag.IndexOf('-');
        return dash == 32 && IsMd5(etag[..32]) && int.TryParse(etag.AsSpan(33), out int parts) && parts > 0 ? parts : null;
    }

    /// <summary>Whether the file at <paramref name="path"/> has the content <paramref name="remoteETag"/> describes.</summary>
    public static async Task<bool> MatchesAsync(string path, long size, string remoteETag, TransferOptions options, CancellationToken cancellationToken)
    {
        string etag = Normalize(remoteETag);
        if (IsMd5(etag))
        {
            return await Md5HexAsync(path, 0, size, cancellationToken) == etag;
        }

        if (PartCount(etag) is not { } parts)
        {
            return false;
        }

        foreach (long partSize in CandidatePartSizes(size, parts, options))
        {
            if (await MultipartAsync(path, size, partSize, cancellationToken) == etag)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Part sizes that give <paramref name="parts"/> parts for <paramref name="size"/> bytes: ours first, then common ones (at most four).</summary>
    public static IEnumerable<long> CandidatePartSizes(long size, int parts, TransferOptions options) =>
        new[] { options.PartSizeFor(size) }
            .Concat(CommonPartSizes.Select(m => m * TransferOptions.MiB))
            .Where(p => new PartLayout(size, p).Count == parts)
            .Distinct()
            .Take(4);

    /// <summary>The multipart ETag of a file uploaded in parts of <paramref name="partSize"/>.</summary>
    /// <exception cref="EndOfStreamException">The file is shorter than <paramref name="size"/> (it changed while being read).</exception>
    public static async Task<string> MultipartAsync(string path, long size, long partSize, CancellationToken cancellationToken)
    {
        var parts = new PartLayout(size, partSize).Ranges;
        int count = parts.Length;
        byte[] digests = new byte[count * 16];
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        // The parts are independent messages: ParallelMd5 hashes several at once, off the caller's thread.
        await Task.Run(() => ParallelMd5.HashRanges(file, parts, digests, cancellationToken), cancellationToken);
        return Multipart(digests, count);
    }

    /// <summary>The multipart ETag from the parts' binary MD5s, concatenated in part order.</summary>
    public static string Multipart(ReadOnlySpan<byte> concatenatedPartMd5s, int count) =>
        Convert.ToHexStringLower(MD5.HashData(concatenatedPartMd5s)) + "-" + count.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static async Task<string> Md5HexAsync(string path, long offset, long length, CancellationToken cancellationToken)
    {
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(await Md5Async(file, offset, length, cancellationToken));
    }

    /// <summary>The MD5 of <paramref name="length"/> bytes at <paramref name="offset"/>.</summary>
    /// <exception cref="IOException">The file is shorter than expected (it changed while being read).</exception>
public static async Task<byte[]> Md5Async(Microsoft.Win32.SafeHandles.SafeFileHandle file, long offset, long length, CancellationToken cancellationToken) =>
        (await PayloadDigest.ComputeAsync(file, offset, length, withSha256: false, cancellationToken)).Md5;
}
