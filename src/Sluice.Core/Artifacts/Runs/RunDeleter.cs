using Sluice.Core.Providers;
using Sluice.Core.Transfers;

namespace Sluice.Core.Artifacts.Runs;

/// <summary>
/// Deletes a file or a directory of a run: the object at the path and every object under
/// <c>path/</c>, and aborts the multipart uploads left in
/// progress there, so nothing of it is left, visible or not.
/// </summary>
internal sealed class RunDeleter(IObjectStore store, TransferOptions options)
{
    public async Task<DeleteSummary> DeleteAsync(RunLayout run, RunPath path, CancellationToken cancellationToken)
    {
        string key = run.KeyOf(path);
        string directoryPrefix = key + "/";
        var objects = (await store.ListAsync(directoryPrefix, cancellationToken))
            .Select(o => (o.Key, o.Size)).ToList();
        if (path.Relative.Length > 0 && await store.HeadAsync(key, cancellationToken) is { } file)
        {
            objects.Add((key, file.Size));
        }

        var uploads = (await store.ListUploadsAsync(key, cancellationToken))
            .Where(u => u.Key == key || u.Key.StartsWith(directoryPrefix, StringComparison.Ordinal)).ToList();
        if (objects.Count == 0 && uploads.Count == 0)
        {
            if (path.Relative.Length == 0)
            {
                return new DeleteSummary(0, 0, 0);
            }

            throw new ArtifactNotFoundException($"nothing at {path} in run {run.Run}");
        }

        await DeleteKeysAsync(objects.Select(o => o.Key).ToList(), cancellationToken);

        foreach (PendingUpload upload in uploads)
        {
            try
            {
                await store.AbortUploadAsync(upload.Key, upload.UploadId, cancellationToken);
            }
            catch (ObjectStoreException e) when (e.Failure == ObjectStoreFailure.NoSuchUpload)
            {
                // Completed or aborted by someone else since the listing: gone either way.
            }
        }

        return new DeleteSummary(objects.Count, objects.Sum(o => o.Size), uploads.Count);
    }

    /// <summary>Deletes exactly these keys (deleting a key that is not there is no error).</summary>
    public Task DeleteKeysAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken) =>
        store.DeleteAsync(keys, Math.Min(4, options.Concurrency), cancellationToken);
}
