using System.Collections.Concurrent;
using System.Diagnostics;
using Sluice.Core.Artifacts.Runs;
using Sluice.Core.Providers;
using Sluice.Core.Transfers;

namespace Sluice.Core.Artifacts.Transfers;

/// <summary>
/// Pushes files to a run. At most <see cref="TransferOptions.Concurrency"/> requests are in flight
/// (a whole small file or one part of a large one each); parts are streamed from disk, never
/// buffered whole. Each file:
/// <list type="bullet">
/// <item>is skipped when the store already has it with the same size and ETag (see <see cref="ContentETag"/>);</item>
/// <item>goes in one PUT up to the part size, with its Content-MD5, so the server checks the bytes;</item>
/// <item>goes multipart above it, each part with its Content-MD5, and is completed only when every part
/// is in, so no partial object is ever visible; a failure aborts the upload.</item>
/// </list>
/// A push that was killed leaves its multipart uploads in progress: the next push of the same file
/// resumes the newest one whose parts fit (each part already there with the same MD5 is kept, the
/// rest is sent), and aborts the others, so nothing done is sent again and nothing is left behind.
/// One pusher per destination at a time: a second, concurrent one could resume the first's upload.
/// </summary>
internal sealed class Uploader(IObjectStore store, TransferOptions options)
{
    /// <summary>From this many files on, one listing of the destination beats one HEAD per file.</summary>
    private const int ListingThreshold = 32;

    /// <summary>Files up to this size are read once into memory, hashed and sent from there.</summary>
    private const int SmallFileBytes = 1024 * 1024;

    public async Task<TransferSummary> PushAsync(RunLayout run, IReadOnlyList<LocalFile> files, RunPath destination, ITransferProgress progress, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        progress.Planned(files.Count, files.Sum(f => f.Size));
        string prefix = files.Count == 1 ? files[0].Key : run.DirectoryPrefixOf(destination);

        Dictionary<string, (long Size, string ETag)>? listing = null;
        if (files.Count >= ListingThreshold)
        {
            listing = (await store.ListAsync(prefix, cancellationToken))
                .ToDictionary(o => o.Key, o => (o.Size, o.ETag), StringComparer.Ordinal);
        }

        var stale = (await store.ListUploadsAsync(prefix, cancellationToken))
            .GroupBy(u => u.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(u => u.Started ?? DateTimeOffset.MinValue).ToList(), StringComparer.Ordinal);

        using var slots = new SemaphoreSlim(options.Concurrency);
        var results = new ConcurrentBag<FileResult>();
        var ordered = files.OrderByDescending(f => f.Size).ToList();
        await Parallel.ForEachAsync(ordered, new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken }, async (file, token) =>
        {
            FileResult result;
            try
            {
                (long Size, string ETag)? remote = listing is null
                    ? (await store.HeadAsync(file.Key, token) is { } head ? (head.Size, head.ETag) : null)
                    : listing.TryGetValue(file.Key, out var listed) ? listed : null;
                result = await PushFileAsync(file, remote, stale.GetValueOrDefault(file.Key) ?? [], slots, progress, token);
            }
            catch (Exception e) when (StoreFailures.IsTransferFailure(e))
            {
                result = new FileResult(file.Path.Value, file.Size, FileOutcome.Failed, 0, StoreFailures.Describe(e));
            }

            results.Add(result);
            progress.Finished(result);
        });

        return new TransferSummary(results.OrderBy(r => r.Path, StringComparer.Ordinal).ToList(), stopwatch.Elapsed);
    }

    private async Task<FileResult> PushFileAsync(LocalFile file, (long Size, string ETag)? remote, List<PendingUpload> stale, SemaphoreSlim slots, ITransferProgress progress, CancellationToken cancellationToken)
    {
        long size = new FileInfo(file.FullPath).Length;
        if (remote is { } existing && existing.Size == size && await ContentETag.MatchesAsync(file.FullPath, size, existing.ETag, options, cancellationToken))
        {
            await AbortAllAsync(file.Key, stale);
            progress.Advanced(size);
            return new FileResult(file.Path.Value, size, FileOutcome.Skipped, 0);
        }

        if (!options.IsMultipart(size))
        {
            await AbortAllAsync(file.Key, stale);
            await PutAsync(file, size, slots, cancellationToken);
            progress.Advanced(size);
            return new FileResult(file.Path.Value, size, FileOutcome.Transferred, size);
        }

        return await MultipartAsync(file, size, stale, slots, progress, cancellationToken);
    }

    private async Task PutAsync(LocalFile file, long size, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        await slots.WaitAsync(cancellationToken);
        try
        {
            PayloadDigest digest;
            Stream content;
            Microsoft.Win32.SafeHandles.SafeFileHandle? handle = null;
            if (size <= SmallFileBytes)
            {
                byte[] bytes = await File.ReadAllBytesAsync(file.FullPath, cancellationToken);
                if (bytes.Length != size)
                {
                    throw new IOException("the file changed while it was read");
                }

                digest = PayloadDigest.Of(bytes, store.WantsSha256);
                content = new MemoryStream(bytes, writable: false);
            }
            else
            {
                handle = File.OpenHandle(file.FullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.SequentialScan);
                digest = await PayloadDigest.ComputeAsync(handle, 0, size, store.WantsSha256, cancellationToken);
                content = new FileRangeStream(handle, 0, size);
            }

            using (handle)
            await using (content)
            {
                ObjectReceipt receipt = await store.PutAsync(new ObjectPut(file.Key, content, digest, ContentTypes.For(file.Key)), cancellationToken);
                CheckETag(file, receipt, Convert.ToHexStringLower(digest.Md5));
            }
        }
        finally
        {
            slots.Release();
        }
    }

    private async Task<FileResult> MultipartAsync(LocalFile file, long size, List<PendingUpload> stale, SemaphoreSlim slots, ITransferProgress progress, CancellationToken cancellationToken)
    {
        var layout = new PartLayout(size, options.PartSizeFor(size));
        var (uploadId, done, toAbort) = await FindResumableAsync(file.Key, stale, layout, cancellationToken);
        bool resuming = uploadId is not null;
        uploadId ??= await store.StartUploadAsync(file.Key, ContentTypes.For(file.Key), cancellationToken);

        SentParts parts;
        try
        {
            parts = await new MultipartSender(store.PartsOf(file.Key, uploadId), slots, new FileProgress(progress)).SendAsync(file.FullPath, layout, done, cancellationToken);
            var sent = parts.ETags.Select((etag, i) => new StoredPart(i + 1, etag, layout.Length(i + 1))).ToList();
            ObjectReceipt receipt = await store.CompleteUploadAsync(file.Key, uploadId, sent, cancellationToken);
            CheckETag(file, receipt, ContentETag.Multipart(parts.Md5s, layout.Count));
        }
        catch (Exception e)
        {
            // Stopped by the caller (Ctrl+C, SIGTERM), the parts stored stay: the same push resumes the upload.
            if (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                await AbortQuietlyAsync(file.Key, uploadId);
            }

            if (e is TransferIntegrityException)
            {
                throw new TransferIntegrityException($"{file.Path}: {e.Message}");
            }

            throw;
        }

        foreach (string other in toAbort)
        {
            await AbortQuietlyAsync(file.Key, other);
        }

        bool reused = resuming && parts.BytesSent < size;
        return new FileResult(file.Path.Value, size, reused ? FileOutcome.Resumed : FileOutcome.Transferred, parts.BytesSent);
    }

    /// <summary>
    /// The newest upload in progress for <paramref name="key"/> whose parts all fit this file's part
    /// layout, with its parts; every other upload of the key is to be aborted once the file is in.
    /// </summary>
    private async Task<(string? UploadId, IReadOnlyDictionary<int, StoredPart> Parts, List<string> ToAbort)> FindResumableAsync(
        string key, List<PendingUpload> stale, PartLayout layout, CancellationToken cancellationToken)
    {
        string? chosen = null;
        IReadOnlyDictionary<int, StoredPart> parts = new Dictionary<int, StoredPart>();
        var toAbort = new List<string>();
        foreach (PendingUpload upload in stale)
        {
            if (chosen is null)
            {
                IReadOnlyList<StoredPart> listed;
                try
                {
                    listed = await store.ListPartsAsync(key, upload.UploadId, cancellationToken);
                }
                catch (ObjectStoreException e) when (e.Failure == ObjectStoreFailure.NoSuchUpload)
                {
                    continue;
                }

                bool fits = listed.All(p => p.PartNumber >= 1 && p.PartNumber <= layout.Count && p.Size == layout.Length(p.PartNumber));
                if (fits)
                {
                    chosen = upload.UploadId;
                    parts = listed.ToDictionary(p => p.PartNumber);
                    continue;
                }
            }

            toAbort.Add(upload.UploadId);
        }

        return (chosen, parts, toAbort);
    }

    private async Task AbortAllAsync(string key, List<PendingUpload> stale)
    {
        foreach (PendingUpload upload in stale)
        {
            await AbortQuietlyAsync(key, upload.UploadId);
        }
    }

    /// <summary>Best effort: the upload's parts are freed; a failure here leaves it for the next push or rm to clean up.</summary>
    private async Task AbortQuietlyAsync(string key, string uploadId)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await store.AbortUploadAsync(key, uploadId, timeout.Token);
        }
        catch (Exception e) when (e is ObjectStoreException or HttpRequestException or OperationCanceledException or IOException)
        {
        }
    }

    /// <summary>
    /// The server checked each request's Content-MD5 already; this also catches one that ignores it.
    /// Only where the ETag is a digest of the content: not under SSE-KMS, whose ETags are opaque.
    /// </summary>
    private static void CheckETag(LocalFile file, ObjectReceipt receipt, string expected)
    {
        string etag = ContentETag.Normalize(receipt.ETag);
        if ((ContentETag.IsMd5(etag) || ContentETag.PartCount(etag) is not null) && receipt.ETagIsContentDigest && etag != expected)
        {
            throw new TransferIntegrityException($"{file.Path}: the server stored other bytes (ETag {etag}, expected {expected})");
        }
    }

    /// <summary>A multipart file's parts, told to the push's progress as bytes done.</summary>
    private sealed class FileProgress(ITransferProgress progress) : IPartProgress
    {
        public void Compared(int kept, long keptBytes, int different) => progress.Advanced(keptBytes);

        public void Sent(int partNumber, int partCount, long bytes) => progress.Advanced(bytes);

        public void Retrying(int partNumber, string reason)
        {
        }
    }
}
