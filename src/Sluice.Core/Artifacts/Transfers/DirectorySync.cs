using Sluice.Core.Artifacts.Runs;
using Sluice.Core.Providers;
using Sluice.Core.Transfers;

namespace Sluice.Core.Artifacts.Transfers;

/// <summary>
/// Keeps a local directory mirrored into a run directory while a job writes it, as a sidecar
/// would. Each <see cref="SyncOnceAsync"/> scans the directory (names, sizes, modification
/// times: no reads), pushes what is new or changed since the last pass (with the push's rules:
/// unchanged content is skipped, large files go multipart), and deletes from the store the files
/// this sync had mirrored and that are gone locally. Files that were in the store before the sync
/// started and are not in the directory are left alone: a restarted job with an empty directory
/// does not wipe its earlier outputs. A file that fails is tried again on the next pass.
/// </summary>
public sealed class DirectorySync
{
    private readonly IObjectStore _store;
    private readonly TransferOptions _options;
    private readonly RunLayout _run;
    private readonly string _directory;
    private readonly RunPath _destination;
    private readonly Dictionary<string, (RunPath Path, long Size, DateTime Modified)> _mirrored = new(StringComparer.Ordinal);

    internal DirectorySync(IObjectStore store, TransferOptions options, RunLayout run, string directory, RunPath destination)
    {
        _store = store;
        _options = options;
        _run = run;
        _directory = Path.GetFullPath(directory);
        _destination = destination;
    }

    /// <summary>One pass: push what is new or changed, delete what was mirrored and is gone.</summary>
    /// <exception cref="ArtifactPathException">The directory is gone, or a file in it cannot become a key (nothing is sent in that pass).</exception>
    public async Task<SyncCycle> SyncOnceAsync(ITransferProgress progress, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(_directory))
        {
            throw new ArtifactPathException($"{_directory}: no such directory");
        }

        IReadOnlyList<LocalFile> files = LocalFiles.Plan(_run, [_directory], _destination);
        var seen = new Dictionary<string, (LocalFile File, DateTime Modified)>(StringComparer.Ordinal);
        foreach (LocalFile file in files)
        {
            seen[file.Key] = (file, File.GetLastWriteTimeUtc(file.FullPath));
        }

        var changed = seen.Values
            .Where(f => !_mirrored.TryGetValue(f.File.Key, out var known) || known.Size != f.File.Size || known.Modified != f.Modified)
            .Select(f => f.File)
            .ToList();
        TransferSummary pushed = changed.Count == 0
            ? new TransferSummary([], TimeSpan.Zero)
            : await new Uploader(_store, _options).PushAsync(_run, changed, _destination, progress, cancellationToken);
        var byPath = seen.Values.ToDictionary(f => f.File.Path.Value, StringComparer.Ordinal);
        foreach (FileResult result in pushed.Files.Where(r => r.Outcome != FileOutcome.Failed))
        {
            var (file, modified) = byPath[result.Path];
            _mirrored[file.Key] = (file.Path, file.Size, modified);
        }

        var gone = _mirrored.Where(m => !seen.ContainsKey(m.Key)).ToList();
        string? deleteError = null;
        if (gone.Count > 0)
        {
            try
            {
                await new RunDeleter(_store, _options).DeleteKeysAsync(gone.Select(g => g.Key).ToList(), cancellationToken);
                foreach (var entry in gone)
                {
                    _mirrored.Remove(entry.Key);
                }
            }
            catch (Exception e) when (StoreFailures.IsTransferFailure(e))
            {
                deleteError = StoreFailures.Describe(e);
                gone.Clear();
            }
        }

        return new SyncCycle(pushed, gone.Select(g => g.Value.Path.Value).Order(StringComparer.Ordinal).ToList(), deleteError);
    }
}
