using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;
using Sluice.Core.Artifacts.Runs;
using Sluice.Core.Providers;
using Sluice.Core.Transfers;

namespace Sluice.Core.Artifacts.Transfers;

/// <summary>
/// Pulls a file or a directory of a run into a local directory. Files are written to a temporary
/// name beside their destination and renamed into place only when complete and checked, so a
/// failed or interrupted pull never leaves a truncated file under the real name. Large files are
/// fetched in parallel byte ranges (<see cref="TransferOptions.StreamsPerFile"/> at a time, pinned
/// to the object's ETag with If-Match, so a concurrent overwrite cannot mix two versions), cut at
/// the object's own part boundaries when its ETag says which, so the multipart ETag can be
/// checked; a local file with the same size and ETag is skipped.
/// Keys that are not plain relative paths (written by other tools: '..', '//') are refused, never
/// written outside the target directory.
/// </summary>
internal sealed class Downloader(IObjectStore store, TransferOptions options)
{
    // Small enough to stay in the core's cache between the socket's copy into it and the page
    // cache's copy out of it: with 512 KiB buffers, 16 of them in flight, that second copy read
    // from memory and took a third of a 1 GiB pull's CPU (perf; bench/results/artifacts-native-2026-12-04.md).
    private const int BufferSize = 128 * 1024;
    private const int Attempts = 3;

    public async Task<TransferSummary> PullAsync(RunLayout run, RunPath remote, string localDirectory, ITransferProgress progress, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        string root = Path.GetFullPath(localDirectory);
        string directoryPrefix = run.DirectoryPrefixOf(remote);
        var files = new List<(RemoteFile File, string Relative)>();
        foreach (StoredObject item in await store.ListAsync(directoryPrefix, cancellationToken))
        {
            string relative = item.Key[directoryPrefix.Length..];
            if (relative.Length == 0 || (relative.EndsWith('/') && item.Size == 0))
            {
                continue; // a "folder" marker some tools write
            }

            files.Add((new RemoteFile(remote.Value + "/" + relative, item.Key, item.Size, item.ETag, item.LastModified), relative));
        }

        if (files.Count == 0)
        {
            string key = run.KeyOf(remote);
            if (await store.HeadAsync(key, cancellationToken) is not { } head)
            {
                throw new ArtifactNotFoundException($"nothing at {remote} in run {run.Run}");
            }

            files.Add((new RemoteFile(remote.Value, key, head.Size, head.ETag, null), remote.Name));
        }

        progress.Planned(files.Count, files.Sum(f => f.File.Size));
        Directory.CreateDirectory(root);
        var results = new ConcurrentBag<FileResult>();
        using var slots = new SemaphoreSlim(options.Concurrency);
        var ordered = files.OrderByDescending(f => f.File.Size).ToList();
        await Parallel.ForEachAsync(ordered, new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken }, async (item, token) =>
        {
            FileResult result;
            if (RunLayout.SegmentsProblem(item.Relative) is { } problem)
            {
                result = new FileResult(item.File.Path, item.File.Size, FileOutcome.Failed, 0, $"refused: the key's path {problem}");
            }
            else
            {
                try
                {
                    string destination = Path.Combine(root, item.Relative.Replace('/', Path.DirectorySeparatorChar));
                    result = await PullFileAsync(item.File, destination, slots, progress, token);
                }
                catch (Exception e) when (StoreFailures.IsTransferFailure(e))
                {
                    result = new FileResult(item.File.Path, item.File.Size, FileOutcome.Failed, 0, StoreFailures.Describe(e));
                }
            }

            results.Add(result);
            progress.Finished(result);
        });

        return new TransferSummary(results.OrderBy(r => r.Path, StringComparer.Ordinal).ToList(), stopwatch.Elapsed);
    }

    private async Task<FileResult> PullFileAsync(RemoteFile file, string destination, SemaphoreSlim slots, ITransferProgress progress, CancellationToken cancellationToken)
    {
        if (File.Exists(destination) && new FileInfo(destination).Length == file.Size
            && await ContentETag.MatchesAsync(destination, file.Size, file.ETag, options, cancellationToken))
        {
            progress.Advanced(file.Size);
            return new FileResult(file.Path, file.Size, FileOutcome.Skipped, 0);
        }

        string directory = Path.GetDirectoryName(destination)!;
        Directory.CreateDirectory(directory);
        string temporary = Path.Combine(directory, $".sluice-{Guid.NewGuid():N}.part");
        try
        {
            if (options.IsMultipart(file.Size))
            {
                await RangedAsync(file, temporary, slots, progress, cancellationToken);
            }
            else
            {
                await slots.WaitAsync(cancellationToken);
                try
                {
                    await WholeAsync(file, temporary, cancellationToken);
                }
                finally
                {
                    slots.Release();
                }

                progress.Advanced(file.Size);
            }

            File.Move(temporary, destination, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }

        return new FileResult(file.Path, file.Size, FileOutcome.Transferred, file.Size);
    }

    private async Task WholeAsync(RemoteFile file, string temporary, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                using var response = await store.GetAsync(file.Key, null, null, cancellationToken);
                using var handle = File.OpenHandle(temporary, FileMode.Create, FileAccess.Write, FileShare.None);
                using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
                long written = await CopyAsync(response.Body, handle, 0, md5, cancellationToken);
                if (written != response.ContentLength)
                {
                    throw new IOException($"{file.Path}: received {written} of {response.ContentLength} bytes");
                }

                string actual = Convert.ToHexStringLower(md5.GetHashAndReset());
                if (ContentETag.IsMd5(response.ETag) && response.ETagIsDigest && response.ETag != actual)
                {
                    throw new TransferIntegrityException($"{file.Path}: the bytes received do not match the object's ETag ({actual} vs {response.ETag})");
                }

                return;
            }
            catch (Exception e) when (attempt < Attempts && IsWorthRetrying(e) && !cancellationToken.IsCancellationRequested)
            {
            }
        }
    }

    private async Task RangedAsync(RemoteFile file, string temporary, SemaphoreSlim slots, ITransferProgress progress, CancellationToken cancellationToken)
    {
        string etag = ContentETag.Normalize(file.ETag);
        int? remoteParts = ContentETag.PartCount(etag);
        long rangeSize = remoteParts is { } n && ContentETag.CandidatePartSizes(file.Size, n, options).FirstOrDefault() is > 0 and var aligned
            ? aligned
            : options.PartSizeFor(file.Size);
        var layout = new PartLayout(file.Size, rangeSize);
        int count = layout.Count;
        int opaqueETag = 0; // set when the object is under SSE-KMS: its ETag is no digest to check
        byte[]? partMd5s = null;
        // Allocated whole at once: a disk too small fails here, before any byte is fetched.
        using (var handle = File.OpenHandle(temporary, FileMode.Create, FileAccess.ReadWrite, FileShare.None, FileOptions.None, preallocationSize: file.Size))
        {
            RandomAccess.SetLength(handle, file.Size);
            // Ranges cut at the object's part boundaries: the parts' MD5s give its ETag.
            await using var digester = remoteParts == count ? new PartDigester(handle, file.Size, rangeSize) : null;
            // At most StreamsPerFile of this file's ranges at once, each also holding one of the slots all files share.
            using var streams = new SemaphoreSlim(Math.Min(options.StreamsPerFile, options.Concurrency));
            await PartRunner.RunAsync(count, streams, async (index, token) =>
            {
                long length = layout.Length(index + 1);
                await slots.WaitAsync(token);
                try
                {
                    if (!await RangeAsync(file, handle, layout.Offset(index + 1), length, token))
                    {
                        Interlocked.Exchange(ref opaqueETag, 1);
                    }
                }
                finally
                {
                    slots.Release();
                }

                digester?.Written(index);
                progress.Advanced(length);
            }, cancellationToken);
            if (digester is not null && opaqueETag == 0)
            {
                partMd5s = await digester.DigestsAsync();
            }

            cancellationToken.ThrowIfCancellationRequested();
        }

        if (opaqueETag == 1)
        {
            return;
        }

        if (partMd5s is not null)
        {
            string actual = ContentETag.Multipart(partMd5s, count);
            // The part size was inferred from the count, and several sizes can give one count (a 20 MiB
            // file makes 3 parts of 8 MiB or of 10 MiB): a mismatch is corruption only if none fits.
            if (actual != etag && !await ContentETag.MatchesAsync(temporary, file.Size, etag, options, cancellationToken))
            {
                throw new TransferIntegrityException($"{file.Path}: the bytes received do not match the object's ETag ({actual} vs {etag})");
            }
        }
        else if (ContentETag.IsMd5(etag))
        {
            string actual = await ContentETag.Md5HexAsync(temporary, 0, file.Size, cancellationToken);
            if (actual != etag)
            {
                throw new TransferIntegrityException($"{file.Path}: the bytes received do not match the object's ETag ({actual} vs {etag})");
            }
        }
    }

    /// <summary>Fetches one byte range into place and returns whether the object's ETag is a digest; retried on a broken connection.</summary>
    private async Task<bool> RangeAsync(RemoteFile file, SafeFileHandle handle, long offset, long length, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                using var response = await store.GetAsync(file.Key, (offset, offset + length - 1), file.ETag, cancellationToken);
                long written = await CopyAsync(response.Body, handle, offset, null, cancellationToken);
                if (written != length)
                {
                    throw new IOException($"{file.Path}: received {written} of {length} bytes at {offset}");
                }

                return response.ETagIsDigest;
            }
            catch (Exception e) when (attempt < Attempts && IsWorthRetrying(e) && !cancellationToken.IsCancellationRequested)
            {
            }
        }
    }

    /// <summary>A broken connection or a refusal that may pass; not a missing object or one that changed under us (If-Match).</summary>
    private static bool IsWorthRetrying(Exception failure) =>
        failure is IOException or HttpRequestException
        || failure is ObjectStoreException { Failure: not (ObjectStoreFailure.NotFound or ObjectStoreFailure.PreconditionFailed) };

    private static async Task<long> CopyAsync(Stream source, SafeFileHandle target, long offset, IncrementalHash? md5, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            // The socket hands over a few KiB per read: gather a full buffer first, so the hash and the
            // file see one call per 128 KiB rather than one per packet burst.
            long written = 0;
            while (true)
            {
                int filled = 0;
                int read;
                while (filled < BufferSize && (read = await source.ReadAsync(buffer.AsMemory(filled, BufferSize - filled), cancellationToken)) > 0)
                {
                    filled += read;
                }

                if (filled == 0)
                {
                    return written;
                }

                md5?.AppendData(buffer, 0, filled);
                RandomAccess.Write(target, buffer.AsSpan(0, filled), offset + written);
                written += filled;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
