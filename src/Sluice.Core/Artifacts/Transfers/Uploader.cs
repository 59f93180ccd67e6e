using System.Collections.Concurrent;
using System.Diagnostics;
using Amazon.S3;
using Amazon.S3.Model;
using Sluice.Core.Transfers;
using Sluice.Core.Artifacts.Runs;
using Sluice.Core.Artifacts.S3;

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
internal sealed class Uploader(IAmazonS3 s3, string bucket, TransferOptions options, bool unsignedPayload)
{
    /// <summary>From this many files on, one listing of the destination beats one HEAD per file.</summary>
    private const int ListingThreshold = 32;

    /// <summary>Files up to this size are read once into memory, hashed and sent from there.</summary>
    private const int SmallFileBytes = 1024 * 1024;

    /// <summary>
    /// Where the payload is signed (plain HTTP), a client that takes the SHA-256 we compute with the
    /// MD5 in one pass; otherwise (unsigned over HTTPS, or another client) null, and the SDK does as it does.
    /// </summary>
    private readonly StoreS3Client? _hashTaker = unsignedPayload ? null : s3 as StoreS3Client;

    public async Task<TransferSummary> PushAsync(RunLayout run, IReadOnlyList<LocalFile> files, RunPath destination, ITransferProgress progress, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        progress.Planned(files.Count, files.Sum(f => f.Size));
        string prefix = files.Count == 1 ? files[0].Key : run.DirectoryPrefixOf(destination);

        Dictionary<string, (long Size, string ETag)>? listing = null;
        if (files.Count >= ListingThreshold)
        {
            listing = (await S3Calls.ListObjectsAsync(s3, bucket, prefix, cancellationToken))
                .ToDictionary(o => o.Key, o => (o.Size ?? 0, o.ETag ?? ""), StringComparer.Ordinal);
        }

        var stale = (await S3Calls.ListUploadsAsync(s3, bucket, prefix, cancellationToken))
            .GroupBy(u => u.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(u => u.Initiated ?? DateTime.MinValue).ToList(), StringComparer.Ordinal);

        using var slots = new SemaphoreSlim(options.Concurrency);
        var results = new ConcurrentBag<FileResult>();
        var ordered = files.OrderByDescending(f => f.Size).ToList();
        await Parallel.ForEachAsync(ordered, new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken }, async (file, token) =>
        {
            FileResult result;
            try
            {
                (long Size, string ETag)? remote = listing is null
                    ? await S3Calls.HeadAsync(s3, bucket, file.Key, token)
                    : listing.TryGetValue(file.Key, out var listed) ? listed : null;
                result = await PushFileAsync(file, remote, stale.GetValueOrDefault(file.Key) ?? [], slots, progress, token);
            }
            catch (Exception e) when (S3Calls.IsTransferFailure(e))
            {
                result = new FileResult(file.Path.Value, file.Size, FileOutcome.Failed, 0, S3Calls.Describe(e));
            }

            results.Add(result);
            progress.Finished(result);
        });

        return new TransferSummary(results.OrderBy(r => r.Path, StringComparer.Ordinal).ToList(), stopwatch.Elapsed);
    }

    private async Task<FileResult> PushFileAsync(LocalFile file, (long Size, string ETag)? remote, List<MultipartUpload> stale, SemaphoreSlim slots, ITransferProgress progress, CancellationToken cancellationToken)
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

                digest = PayloadDigest.Of(bytes, _hashTaker is not null);
                content = new MemoryStream(bytes, writable: false);
            }
            else
            {
                handle = File.OpenHandle(file.FullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.SequentialScan);
                digest = await PayloadDigest.ComputeAsync(handle, 0, size, _hashTaker is not null, cancellationToken);
                content = new FileRangeStream(handle, 0, size);
            }

            byte[] md5 = digest.Md5;
            using (handle)
            await using (content)
            {
                var request = new PutObjectRequest
                {
                    BucketName = bucket,
                    Key = file.Key,
                    InputStream = content,
                    AutoCloseStream = false,
                    MD5Digest = Convert.ToBase64String(md5),
                    ContentType = ContentTypes.For(file.Key),
                };
                if (unsignedPayload)
                {
                    request.DisablePayloadSigning = true;
                }
                else if (digest.Sha256Hex is { } sha256)
                {
                    _hashTaker?.UsePayloadHash(request, sha256);
                }

                PutObjectResponse response = await s3.PutObjectAsync(request, cancellationToken);
                CheckETag(file, response.ETag, response.ServerSideEncryptionMethod, Convert.ToHexStringLower(md5));
            }
        }
        finally
        {
            slots.Release();
        }
    }

    private async Task<FileResult> MultipartAsync(LocalFile file, long size, List<MultipartUpload> stale, SemaphoreSlim slots, ITransferProgress progress, CancellationToken cancellationToken)
    {
        var layout = new PartLayout(size, options.PartSizeFor(size));
        var (uploadId, done, toAbort) = await FindResumableAsync(file.Key, stale, layout, cancellationToken);
        bool resuming = uploadId is not null;
        uploadId ??= (await s3.InitiateMultipartUploadAsync(
            new InitiateMultipartUploadRequest { BucketName = bucket, Key = file.Key, ContentType = ContentTypes.For(file.Key) }, cancellationToken)).UploadId;

        SentParts parts;
        try
        {
            var target = new SdkPartTarget(s3, bucket, file.Key, uploadId, unsignedPayload, _hashTaker);
            parts = await new MultipartSender(target, slots, new FileProgress(progress)).SendAsync(file.FullPath, layout, done, cancellationToken);
            var complete = new CompleteMultipartUploadRequest
            {
                BucketName = bucket,
                Key = file.Key,
                UploadId = uploadId,
                PartETags = parts.ETags.Select((etag, i) => new PartETag(i + 1, etag)).ToList(),
            };
            CompleteMultipartUploadResponse response = await s3.CompleteMultipartUploadAsync(complete, cancellationToken);
            CheckETag(file, response.ETag, response.ServerSideEncryptionMethod, ContentETag.Multipart(parts.Md5s, layout.Count));
        }
        catch (Exception e)
        {
            // Stopped by the caller (Ctrl+C, SIGTERM), the parts stored stay: the same push resumes the upload.
            if (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                await S3Calls.AbortQuietlyAsync(s3, bucket, file.Key, uploadId);
            }

            if (e is TransferIntegrityException)
            {
                throw new TransferIntegrityException($"{file.Path}: {e.Message}");
            }

            throw;
        }

        foreach (string other in toAbort)
        {
            await S3Calls.AbortQuietlyAsync(s3, bucket, file.Key, other);
        }

        bool reused = resuming && parts.BytesSent < size;
        return new FileResult(file.Path.Value, size, reused ? FileOutcome.Resumed : FileOutcome.Transferred, parts.BytesSent);
    }

    /// <summary>
    /// The newest upload in progress for <paramref name="key"/> whose parts all fit this file's part
    /// layout, with its parts; every other upload of the key is to be aborted once the file is in.
    /// </summary>
    private async Task<(string? UploadId, IReadOnlyDictionary<int, StoredPart> Parts, List<string> ToAbort)> FindResumableAsync(
        string key, List<MultipartUpload> stale, PartLayout layout, CancellationToken cancellationToken)
    {
        string? chosen = null;
        IReadOnlyDictionary<int, StoredPart> parts = new Dictionary<int, StoredPart>();
        var toAbort = new List<string>();
        foreach (MultipartUpload upload in stale)
        {
            if (chosen is null)
            {
                List<PartDetail> listed;
                try
                {
                    listed = await S3Calls.ListPartsAsync(s3, bucket, key, upload.UploadId, cancellationToken);
                }
                catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchUpload")
                {
                    continue;
                }

                bool fits = listed.All(p => p.PartNumber is { } n && n >= 1 && n <= layout.Count && (p.Size ?? -1) == layout.Length(n));
                if (fits)
                {
                    chosen = upload.UploadId;
                    parts = listed.ToDictionary(p => p.PartNumber!.Value, p => new StoredPart(p.PartNumber!.Value, p.ETag, p.Size ?? -1));
                    continue;
                }
            }

            toAbort.Add(upload.UploadId);
        }

        return (chosen, parts, toAbort);
    }

    private async Task AbortAllAsync(string key, List<MultipartUpload> stale)
    {
        foreach (MultipartUpload upload in stale)
        {
            await S3Calls.AbortQuietlyAsync(s3, bucket, key, upload.UploadId);
        }
    }

    /// <summary>
    /// The server checked each request's Content-MD5 already; this also catches one that ignores it.
    /// Only where the ETag is a digest of the content: not under SSE-KMS, whose ETags are opaque.
    /// </summary>
    private static void CheckETag(LocalFile file, string? returned, ServerSideEncryptionMethod? encryption, string expected)
    {
        string etag = ContentETag.Normalize(returned);
        if ((ContentETag.IsMd5(etag) || ContentETag.PartCount(etag) is not null) && ContentETag.IsContentDigest(encryption) && etag != expected)
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
