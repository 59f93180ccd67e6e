namespace Sluice.Core.Transfers;

/// <summary>
/// The parts of one file through one multipart upload, the engine behind both <c>artifacts
/// push</c> and <c>sluice upload</c>. Parts a resumed upload holds already are kept when their
/// size and ETag match the local bytes' MD5; the others are read, digested (MD5, and SHA-256 when
/// the target signs the payload) and sent in parallel within the caller's slots; a failure the
/// target calls transient is tried again with <see cref="Backoff"/>; an ETag that is a digest
/// must be the MD5 that was sent. The caller starts and completes (or aborts) the upload.
/// </summary>
public sealed class MultipartSender(IPartTarget target, SemaphoreSlim slots, IPartProgress progress)
{
    public async Task<SentParts> SendAsync(string path, PartLayout layout, IReadOnlyDictionary<int, StoredPart> stored, CancellationToken cancellationToken)
    {
        int count = layout.Count;
        var etags = new string[count];
        byte[] md5s = new byte[count * 16];
        await KeepStoredAsync(path, layout, stored, etags, md5s, cancellationToken);

        long sent = 0;
        await PartRunner.RunAsync(count, slots, async (index, token) =>
        {
            if (etags[index] is null)
            {
                await SendPartAsync(path, layout, index + 1, etags, md5s, token);
                Interlocked.Add(ref sent, layout.Length(index + 1));
            }
        }, cancellationToken);
        return new SentParts(etags, md5s, sent);
    }

    /// <summary>Compares each stored part that fits the layout with the local bytes; the matching ones are kept.</summary>
    private async Task KeepStoredAsync(string path, PartLayout layout, IReadOnlyDictionary<int, StoredPart> stored, string[] etags, byte[] md5s, CancellationToken cancellationToken)
    {
        StoredPart[] candidates = [.. stored.Values.Where(p => p.PartNumber >= 1 && p.PartNumber <= layout.Count)];
        if (candidates.Length == 0)
        {
            return;
        }

        long keptBytes = 0;
        int kept = 0;
        await PartRunner.RunAsync(candidates.Length, slots, async (index, token) =>
        {
            StoredPart part = candidates[index];
            long length = layout.Length(part.PartNumber);
            string etag = ContentETag.Normalize(part.ETag);
            if (part.Size != length || !ContentETag.IsMd5(etag))
            {
                return;
            }

            using var handle = OpenRead(path);
            PayloadDigest digest = await PayloadDigest.ComputeAsync(handle, layout.Offset(part.PartNumber), length, withSha256: false, token);
            if (Convert.ToHexStringLower(digest.Md5) == etag)
            {
                digest.Md5.CopyTo(md5s, (part.PartNumber - 1) * 16);
                etags[part.PartNumber - 1] = part.ETag;
                Interlocked.Add(ref keptBytes, length);
                Interlocked.Increment(ref kept);
            }
        }, cancellationToken);
        progress.Compared(kept, keptBytes, candidates.Length - kept);
    }

    private async Task SendPartAsync(string path, PartLayout layout, int number, string[] etags, byte[] md5s, CancellationToken cancellationToken)
    {
        long offset = layout.Offset(number), length = layout.Length(number);
        using var handle = OpenRead(path);
        PayloadDigest digest = await PayloadDigest.ComputeAsync(handle, offset, length, target.WantsSha256, cancellationToken);
        string md5 = Convert.ToHexStringLower(digest.Md5);
        digest.Md5.CopyTo(md5s, (number - 1) * 16);
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                PartReceipt receipt = await target.SendAsync(new PartBody(number, handle, offset, length, digest), cancellationToken);
                string etag = ContentETag.Normalize(receipt.ETag);
                if (ContentETag.IsMd5(etag) && receipt.ETagIsContentDigest && etag != md5)
                {
                    throw new TransferIntegrityException($"part {number}: the store kept other bytes than were sent (ETag {etag}, sent MD5 {md5})");
                }

                etags[number - 1] = receipt.ETag;
                progress.Sent(number, layout.Count, length);
                return;
            }
            catch (Exception e) when (attempt < Backoff.MaxAttempts && target.IsTransient(e, cancellationToken))
            {
                progress.Retrying(number, e.Message);
                await Backoff.WaitAsync(attempt, cancellationToken);
            }
        }
    }

    private static Microsoft.Win32.SafeHandles.SafeFileHandle OpenRead(string path) =>
        File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.SequentialScan);
}

/// <summary>The parts of a file, all stored: their ETags (for completing the upload) and MD5s (for checking its ETag), in part order; and the bytes this run sent.</summary>
public sealed record SentParts(string[] ETags, byte[] Md5s, long BytesSent);
