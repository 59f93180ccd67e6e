using System.Net;
using Sluice.Core.Transfers;

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
    private int _partsStored;

    /// <summary>The state file of this upload (kept when it stops unfinished).</summary>
    public string? StatePath { get; private set; }

    /// <summary>Whether this run reached the parts (a refusal before that means bad arguments or configuration).</summary>
    public bool Started { get; private set; }

    public int PartsStored => Volatile.Read(ref _partsStored);

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
        progress.Note(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{(request.Key is null ? "generated key" : "key")} {state.Key}: {Sizes.Format(size)} in {layout.Count} parts of {Sizes.Format(layout.PartSize)}, {Math.Min(request.Concurrency, layout.Count)} at a time"));
        progress.Planned(size, 0);

        int batch = Math.Clamp(request.Concurrency * 2, 8, 64);
        Dictionary<int, StoredPart> storedByNumber = stored.ToDictionary(p => p.PartNumber);
        using var urls = new PartUrls(api, state.Key, state.UploadId, [.. layout.Numbers.Where(n => !storedByNumber.ContainsKey(n))], batch, time);
        using var slots = new SemaphoreSlim(request.Concurrency);
        var partProgress = new PartProgress(this, progress, size);
        var sender = new MultipartSender(new PresignedPartTarget(bucket, urls, progress), slots, partProgress);
        SentParts parts = await sender.SendAsync(request.File, layout, storedByNumber, cancellationToken);

        // Parts of two versions of a file are no version of it: refuse to complete when it changed.
        info.Refresh();
        if (info.Length != size || info.LastWriteTimeUtc != modified)
        {
            throw new FileChangedException($"{request.File} changed while it was uploaded (size or modification time)");
        }

        CompletedUpload done = await api.CompleteAsync(state.Key, state.UploadId, parts.ETags.Select((etag, i) => (i + 1, etag)), cancellationToken);
        UploadStateStore.Delete(StatePath);
        return done;
    }

    /// <summary>The engine's progress, shown as this command shows it (and counted, for the summary of a stopped upload).</summary>
    private sealed class PartProgress(FileUpload upload, IUploadProgress progress, long size) : IPartProgress
    {
        public void Compared(int kept, long keptBytes, int different)
        {
            Interlocked.Add(ref upload._partsStored, kept);
            progress.Note($"{kept} stored parts match the local file, {different} do not (sent again)");
            progress.Planned(size, keptBytes);
        }

        public void Sent(int partNumber, int partCount, long bytes)
        {
            Interlocked.Increment(ref upload._partsStored);
            progress.Advanced(bytes);
            progress.PartSent(partNumber, partCount, bytes);
        }

        public void Retrying(int partNumber, string reason) => progress.Note($"part {partNumber}: {reason}; trying again");
    }
}
