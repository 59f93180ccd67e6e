using System.Security.Cryptography;
using System.Text;
using Sluice.Core.Artifacts.Runs;
using Sluice.Core.Providers;
using Sluice.Core.Transfers;

namespace Sluice.Core.Artifacts.Events;

/// <summary>
/// A run's events in the store: <c>events/&lt;kind&gt;/&lt;name&gt;.plx</c>, one file a name (a name
/// may hold '/', as Polyaxon's do: <c>train/loss</c>). Adding rows rewrites the file (objects
/// cannot be appended to) only over the version read (<c>If-Match</c>, or <c>If-None-Match: *</c>
/// for a new one), so two writers of one name lose no row; a write whose answer was lost but
/// which was stored is recognised by its MD5 and not repeated.
/// </summary>
public sealed class RunEvents
{
    private readonly IObjectStore _store;
    private readonly RunLayout _run;

    internal RunEvents(IObjectStore store, RunLayout run)
    {
        _store = store;
        _run = run;
    }

    /// <summary>The names that have a file of this kind, sorted.</summary>
    public async Task<IReadOnlyList<string>> NamesAsync(string kind, CancellationToken cancellationToken)
    {
        string prefix = _run.DirectoryPrefixOf(DirectoryOf(kind));
        return (await _store.ListAsync(prefix, cancellationToken))
            .Select(item => item.Key[prefix.Length..])
            .Where(name => name.EndsWith(EventSeries.Extension, StringComparison.Ordinal) && name.Length > EventSeries.Extension.Length)
            .Select(name => name[..^EventSeries.Extension.Length])
            .ToList();
    }

    /// <summary>The events of one name, or null when it has no file.</summary>
    public async Task<EventSeries?> ReadAsync(string kind, string name, CancellationToken cancellationToken)
    {
        string key = _run.KeyOf(PathOf(kind, name));
        try
        {
            (byte[] content, _) = await _store.ReadWholeAsync(key, cancellationToken);
            return EventSeries.Read(kind, name, Encoding.UTF8.GetString(content));
        }
        catch (ObjectStoreException e) when (e.Failure == ObjectStoreFailure.NotFound)
        {
            return null;
        }
    }

    /// <summary>Adds rows at the end of a name's file, creating it with its header when there is none.</summary>
    public async Task AppendAsync(string kind, string name, IReadOnlyList<RunEvent> events, CancellationToken cancellationToken)
    {
        string key = _run.KeyOf(PathOf(kind, name));
        while (true)
        {
            string? existing = null;
            string? version = null;
            try
            {
                (byte[] content, version) = await _store.ReadWholeAsync(key, cancellationToken);
                existing = Encoding.UTF8.GetString(content);
            }
            catch (ObjectStoreException e) when (e.Failure == ObjectStoreFailure.NotFound)
            {
                // none yet: written with its header, only where still none is
            }

            byte[] body = Encoding.UTF8.GetBytes(EventSeries.Append(kind, existing, events));
            try
            {
                using var content = new MemoryStream(body, writable: false);
                await _store.PutAsync(new ObjectPut(key, content, Digest: null, "text/plain; charset=utf-8", OnlyIfAbsent: version is null, IfMatch: version), cancellationToken);
                return;
            }
            catch (ObjectStoreException e) when (e.Failure is ObjectStoreFailure.PreconditionFailed or ObjectStoreFailure.Conflict)
            {
                // Another writer came first, or this very write did (an SDK retry after a lost answer).
                if (await _store.HeadAsync(key, cancellationToken) is { } now && ContentETag.Normalize(now.ETag) == Convert.ToHexStringLower(MD5.HashData(body)))
                {
                    return;
                }

                await Task.Delay(Random.Shared.Next(20, 100), cancellationToken);
            }
        }
    }

    /// <summary>Why a name cannot be an event's (it becomes part of a key), or null.</summary>
    public static string? NameProblem(string name) => RunLayout.SegmentsProblem(name);

    private static RunPath DirectoryOf(string kind) => RunPath.Parse(RunSection.Events).Append(kind);

    private static RunPath PathOf(string kind, string name) => DirectoryOf(kind).Append(name + EventSeries.Extension);
}
