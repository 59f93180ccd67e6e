using Amazon.S3;
using Amazon.S3.Model;
using Sluice.Core.Artifacts.S3;

namespace Sluice.Core.Artifacts.Runs;

/// <summary>A run's files with their sizes: all of them, or those at and under one path.</summary>
internal sealed class RunLister(IAmazonS3 s3, string bucket)
{
    public async Task<IReadOnlyList<RemoteFile>> ListAsync(RunLayout run, RunPath? path, CancellationToken cancellationToken)
    {
        string prefix = path is null ? run.RunPrefix : run.DirectoryPrefixOf(path);
        var files = new List<RemoteFile>();
        foreach (S3Object item in await S3Calls.ListObjectsAsync(s3, bucket, prefix, cancellationToken))
        {
            string relative = run.RelativeToRun(item.Key) ?? item.Key;
            files.Add(new RemoteFile(relative, item.Key, item.Size ?? 0, item.ETag ?? "", item.LastModified));
        }

        if (files.Count == 0 && path is not null && path.Relative.Length > 0)
        {
            string key = run.KeyOf(path);
            if (await S3Calls.HeadAsync(s3, bucket, key, cancellationToken) is { } head)
            {
                files.Add(new RemoteFile(path.Value, key, head.Size, head.ETag, null));
            }
        }

        files.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return files;
    }
}
