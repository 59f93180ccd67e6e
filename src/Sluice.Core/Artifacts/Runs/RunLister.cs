using Sluice.Core.Providers;

namespace Sluice.Core.Artifacts.Runs;

/// <summary>A run's files with their sizes: all of them, or those at and under one path.</summary>
internal sealed class RunLister(IObjectStore store)
{
    public async Task<IReadOnlyList<RemoteFile>> ListAsync(RunLayout run, RunPath? path, CancellationToken cancellationToken)
    {
        string prefix = path is null ? run.RunPrefix : run.DirectoryPrefixOf(path);
        var files = new List<RemoteFile>();
        foreach (StoredObject item in await store.ListAsync(prefix, cancellationToken))
        {
            string relative = run.RelativeToRun(item.Key) ?? item.Key;
            files.Add(new RemoteFile(relative, item.Key, item.Size, item.ETag, item.LastModified));
        }

        if (files.Count == 0 && path is not null && path.Relative.Length > 0)
        {
            string key = run.KeyOf(path);
            if (await store.HeadAsync(key, cancellationToken) is { } head)
            {
                files.Add(new RemoteFile(path.Value, key, head.Size, head.ETag, null));
            }
        }

        files.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return files;
    }
}
