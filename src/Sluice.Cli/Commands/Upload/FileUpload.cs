using System.Collections.Concurrent;
using System.Net;
using Sluice.Core.Artifacts.Transfers;

namespace Sluice.Cli.Commands.Upload;

/// <summary>
/// One file through the presigned multipart API, resumably. The state file is written as soon as
/// the upload starts, before any byte goes out; a re-run of the same command on the unchanged file
/// finds it, asks the server which parts the bucket holds, keeps those whose size and MD5 match the
/// local bytes, sends the rest (in parallel, URLs signed lazily), completes, and removes the state.
/// The bucket is the record of what is stored: nothing is written per part.
/// </summary>
public sealed class FileUpload(UploadRequest request, UploadApi api, HttpClient bucket, UploadStateStore store, TimeProvider time)
{
    private readonly ConcurrentDictionary<int, string> _etags = new();

    /// <summary>The state file of this upload (kept when it stops unfinished).</summary>
    public string? StatePath { get; private set; }

    /// <summary>Whether this run reached the parts (a refusal before that means bad arguments or configuration).</summary>
    public bool Started { get; private set; }

    public int PartsStored => _etags.Count;

    public int PartCount { get; private set; }

    public async Task<CompletedUpload> RunAsync(IUploadProgress progress, CancellationToken cancellationToken)
    {
        var info = new FileInfo(request.File);
        long size = info.Length;
        DateTime modified = info.LastWriteTimeUtc;
        StatePath = store.PathFor(request.Server, request.Account, request.Bucket, request.Key, request.File, size, modified);

        UploadState? state = UploadStateStore.Load(StatePath);
        IReadOnlyList<StoredPart> stored = [];
        if (state is not null)
        {
            try
            {
                stored = await api.ListAsync(state.Key, state.UploadId, cancellationToken);
                progress.Note($"resuming upload {state.UploadId} of {state.Key} (started {state.StartedUtc:yyyy-MM-dd HH:mm:ss}Z): {stored.Count} parts stored");
            }
            catch (UploadApiException e) when (e.Status == HttpStatusCode.NotFound)
            {
                progress.Note($"the upload {state.UploadId} recorded in {StatePath} is gone from the bucket (completed or aborted): starting over");
                UploadStateStore.Delete(StatePath);
                state = null;
            }
        }

        if (state is null)
        {
            long partSize = new TransferOptions { PartSize = request.PartSize }.PartSizeFor(size);
            StartedUpload started = await api.StartAsync(request.Key, request.ContentType, cancellationToken);
            state = new UploadState(UploadState.CurrentVersion, request.Server.AbsoluteUri, request.Account, request.Bucket, started.Key, request.Key is null,
                request.File, size, modified, partSize, request.ContentType, started.UploadId, time.GetUtcNow().UtcDateTime);
            store.Save(StatePath, state);
        }

        Started = true;
        var layout = new PartLayout(size, state.PartSize);
        PartCount = layout.Count;
        using var file = File.OpenHandle(request.File, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.Asynchronous);
        long storedBytes = await KeepMatchingAsync(file, layout, stored, progress, cancellationToken);
        List<int> pending = [.. layout.Numbers.Where(n => !_etags.ContainsKey(n))];
        progress.Note(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{(request.Key is null ? "generated key" : "key")} {state.Key}: {Sizes.Format(size)} in {layout.Count} parts of {Sizes.Format(layout.PartSize)}; sending {pending.Count}, {Math.Min(request.Concurrency, Math.Max(pending.Count, 1))} at a time"));
        progress.Planned(size, storedBytes);

        int batch = Math.Clamp(request.Concurrency * 2, 8, 64);
        using (var urls = new PartUrls(api, state.Key, state.UploadId, pending, batch, time))
        {
            var sender = new PartSender(bucket, urls, file, layout, progress);
            await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = request.Concurrency, CancellationToken = cancellationToken }, async (part, token) =>
            {
                _etags[part] = await sender.SendAsync(part, token);
                progress.PartSent(part, layout.Count, layout.Length(part));
            });
        }

        // Parts of two versions of a file are no version of it: refuse to complete when it changed.
        info.Refresh();
        if (info.Length != size || info.LastWriteTimeUtc != modified)
        {
            throw new FileChangedException($"{request.File} changed while it was uploaded (size or modification time)");
        }

        CompletedUpload done = await api.CompleteAsync(state.Key, state.UploadId, _etags.Select(e => (e.Key, e.Value)), cancellationToken);
        UploadStateStore.Delete(StatePath);
        return done;
    }

    /// <summary>Keeps the stored parts that are exactly the local bytes (same size, ETag = MD5); the others are sent again.</summary>
    private async Task<long> KeepMatchingAsync(Microsoft.Win32.SafeHandles.SafeFileHandle file, PartLayout layout, IReadOnlyList<StoredPart> stored, IUploadProgress progress, CancellationToken cancellationToken)
    {
        long bytes = 0;
        int different = 0;
        foreach (StoredPart part in stored.Where(p => p.PartNumber >= 1 && p.PartNumber <= layout.Count))
        {
            string etag = ContentETag.Normalize(part.ETag);
            if (part.Size == layout.Length(part.PartNumber) && ContentETag.IsMd5(etag)
                && Convert.ToHexStringLower(await ContentETag.Md5Async(file, layout.Offset(part.PartNumber), part.Size, cancellationToken)) == etag)
            {
                _etags[part.PartNumber] = part.ETag;
                bytes += part.Size;
            }
            else
            {
                different++;
            }
        }

        if (stored.Count > 0)
        {
            progress.Note($"{_etags.Count} stored parts match the local file, {different} do not (sent again)");
        }

        return bytes;
    }
}
