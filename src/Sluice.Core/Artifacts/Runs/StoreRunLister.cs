using Sluice.Core.Artifacts.Stores;
using Sluice.Core.Providers;

namespace Sluice.Core.Artifacts.Runs;

/// <summary>
/// A store's runs page by page: the directories right under the store's prefix (one listing with a
/// delimiter, so a store with thousands of runs is not read whole), then the files of each run on
/// the page, a few runs at once, for its size and last change.
/// </summary>
internal sealed class StoreRunLister(IObjectStore store, int parallelism)
{
    public async Task<RunsPage> ListAsync(ArtifactStore artifactStore, string? after, int limit, Func<string, bool> include, CancellationToken cancellationToken)
    {
        string root = artifactStore.Prefix.Length == 0 ? "" : artifactStore.Prefix + "/";
        IReadOnlyList<string> directories = await store.ListDirectoriesAsync(root, after is null ? null : root + after + "/", limit + 1, cancellationToken);
        List<string> names = directories.Take(limit).Select(directory => directory[root.Length..^1]).ToList();
        string? next = directories.Count > limit ? names[^1] : null;

        // A directory whose name cannot be a run's (e.g. with a '\') is not a run Sluice can address.
        List<string> shown = names.Where(name => RunLayout.RunNameProblem(name) is null && include(name)).ToList();
        var summaries = new RunSummary[shown.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, shown.Count), new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken }, async (i, token) =>
        {
            IReadOnlyList<StoredObject> files = await store.ListAsync(root + shown[i] + "/", token);
            summaries[i] = new RunSummary(shown[i], files.Count, files.Sum(file => file.Size), files.Count == 0 ? null : files.Max(file => file.LastModified));
        });
        return new RunsPage(summaries, next);
    }
}
