using Amazon.S3;
using Amazon.S3.Model;
using Sluice.Core.Artifacts.S3;
using Sluice.Core.Transfers;

namespace Sluice.Core.Artifacts.Runs;

/// <summary>
/// Deletes a file or a directory of a run: the object at the path and every object under
/// <c>path/</c>, in DeleteObjects batches of 1,000, and aborts the multipart uploads left in
/// progress there, so nothing of it is left, visible or not.
/// </summary>
internal sealed class RunDeleter(IAmazonS3 s3, string bucket, TransferOptions options)
{
    private const int BatchSize = 1000;

    public async Task<DeleteSummary> DeleteAsync(RunLayout run, RunPath path, CancellationToken cancellationToken)
    {
        string key = run.KeyOf(path);
        string directoryPrefix = key + "/";
        var objects = (await S3Calls.ListObjectsAsync(s3, bucket, directoryPrefix, cancellationToken))
            .Select(o => (o.Key, Size: o.Size ?? 0)).ToList();
        if (path.Relative.Length > 0 && await S3Calls.HeadAsync(s3, bucket, key, cancellationToken) is { } file)
        {
            objects.Add((key, file.Size));
        }

        var uploads = (await S3Calls.ListUploadsAsync(s3, bucket, key, cancellationToken))
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

        foreach (MultipartUpload upload in uploads)
        {
            await s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = bucket, Key = upload.Key, UploadId = upload.UploadId }, cancellationToken);
        }

        return new DeleteSummary(objects.Count, objects.Sum(o => o.Size), uploads.Count);
    }

    /// <summary>Deletes exactly these keys, 1,000 to a request (deleting a key that is not there is no error).</summary>
    public async Task DeleteKeysAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        var batches = keys.Chunk(BatchSize).ToList();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = Math.Min(4, options.Concurrency), CancellationToken = cancellationToken }, async (batch, token) =>
        {
            var request = new DeleteObjectsRequest
            {
                BucketName = bucket,
                Quiet = true,
                Objects = batch.Select(key => new KeyVersion { Key = key }).ToList(),
            };
            DeleteObjectsResponse response = await s3.DeleteObjectsAsync(request, token);
            if (response.DeleteErrors is { Count: > 0 } errors)
            {
                var first = errors[0];
                throw new AmazonS3Exception($"{errors.Count} objects could not be deleted; the first, {first.Key}: {first.Code} {first.Message}");
            }
        });
    }
}
