using Sluice.Core.Artifacts.Runs;
using Sluice.Core.Providers;

namespace Sluice.Core.Artifacts.Logs;

/// <summary>
/// Reads a run's log page by page from a <see cref="LogCursor"/>, so that reading again from the
/// cursor a page gave (as <c>logs --follow</c> and the HTTP API's clients do) yields only what
/// was added since. Order: Sluice's earlier chunks (<c>logs/&lt;stream&gt;/</c>, by key), then
/// <c>plxlogs/</c> by name, which is by time; while a run has neither, the lines of
/// <c>.tmpplxlogs/</c> later than the cursor's time, sorted by time (as Polyaxon's streams
/// serve a run that is still going). Lines already served from <c>.tmpplxlogs/</c> are not served
/// again when the run's chunks appear.
/// </summary>
public sealed class RunLogReader
{
    private readonly IObjectStore _store;
    private readonly RunLayout _run;

    internal RunLogReader(IObjectStore store, RunLayout run)
    {
        _store = store;
        _run = run;
    }

    /// <summary>The chunks after the cursor, whole, until at least <paramref name="maxLines"/> lines (one chunk at least).</summary>
    public async Task<LogPage> ReadAsync(LogCursor cursor, int maxLines, CancellationToken cancellationToken)
    {
        List<(string Name, string Key)> chunks = await ChunksAfterAsync(cursor, cancellationToken);
        if (chunks.Count == 0)
        {
            return cursor.LastFile is null ? await ReadTemporaryAsync(cursor, cancellationToken) : new LogPage([], cursor, More: false);
        }

        var lines = new List<LogLine>();
        int read = 0;
        while (read < chunks.Count && (read == 0 || lines.Count < maxLines))
        {
            foreach (LogLine line in LogChunk.Read(chunks[read].Name, (await _store.ReadWholeAsync(chunks[read].Key, cancellationToken)).Bytes))
            {
                if (cursor.LastTime is not { } shown || line.Timestamp > shown)
                {
                    lines.Add(line);
                }
            }

            read++;
        }

        return new LogPage(lines, cursor with { LastFile = chunks[read - 1].Name }, More: read < chunks.Count);
    }

    /// <summary>The chunks after the cursor's, in reading order, each with its cursor name and key.</summary>
    private async Task<List<(string Name, string Key)>> ChunksAfterAsync(LogCursor cursor, CancellationToken cancellationToken)
    {
        var chunks = new List<(string, string)>();
        if (cursor.LastFile is null || cursor.InLegacyChunks)
        {
            string legacy = _run.DirectoryPrefixOf(RunPath.Parse(LogChunk.LegacyDirectory));
            string? after = cursor.LastFile is null ? null : _run.RunPrefix + cursor.LastFile;
            foreach (StoredObject item in await _store.ListAsync(legacy, cancellationToken, startAfter: after))
            {
                string path = item.Key[_run.RunPrefix.Length..];
                string[] segments = path.Split('/');
                if (segments.Length == 3 && LogChunk.IsLegacySluiceName(segments[2]))
                {
                    chunks.Add((path, item.Key));
                }
            }
        }

        string prefix = _run.DirectoryPrefixOf(RunLogWriter.Directory);
        string? plxAfter = cursor.LastFile is { } last && !cursor.InLegacyChunks ? prefix + last : null;
        foreach (StoredObject item in await _store.ListAsync(prefix, cancellationToken, startAfter: plxAfter))
        {
            string name = item.Key[prefix.Length..];
            if (!name.Contains('/'))
            {
                chunks.Add((name, item.Key));
            }
        }

        return chunks;
    }

    private async Task<LogPage> ReadTemporaryAsync(LogCursor cursor, CancellationToken cancellationToken)
    {
        string prefix = _run.RunPrefix + LogChunk.TemporaryDirectory + "/";
        var lines = new List<LogLine>();
        foreach (StoredObject item in await _store.ListAsync(prefix, cancellationToken))
        {
            string name = item.Key[prefix.Length..];
            if (!name.Contains('/'))
            {
                lines.AddRange(LogChunk.Read(name, (await _store.ReadWholeAsync(item.Key, cancellationToken)).Bytes)
                    .Where(line => cursor.LastTime is not { } shown || line.Timestamp > shown));
            }
        }

        if (lines.Count == 0)
        {
            return new LogPage([], cursor, More: false);
        }

        var sorted = lines.OrderBy(line => line.Timestamp).ToList();
        return new LogPage(sorted, cursor with { LastTime = sorted[^1].Timestamp }, More: false);
    }
}
