using System.Runtime.CompilerServices;
using Sluice.Core.Artifacts.Runs;
using Sluice.Core.Providers;

namespace Sluice.Core.Artifacts.Logs;

/// <summary>
/// Reads a run's log stream chunk by chunk, remembering the last chunk read, so that calling
/// <see cref="ReadNewAsync"/> again (as <c>logs --follow</c> does) yields only what was added since.
/// </summary>
public sealed class RunLogReader
{
    private readonly IObjectStore _store;
    private readonly string _prefix;
    private string? _lastKey;

    internal RunLogReader(IObjectStore store, RunLayout run, RunPath stream)
    {
        _store = store;
        _prefix = run.DirectoryPrefixOf(stream);
        Stream = stream;
    }

    public RunPath Stream { get; }

    public async IAsyncEnumerable<LogLine> ReadNewAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (StoredObject item in await _store.ListAsync(_prefix, cancellationToken, startAfter: _lastKey))
        {
            if (LogChunkName.SequenceOf(item.Key[_prefix.Length..]) is null)
            {
                continue;
            }

            foreach (LogLine line in await ReadChunkAsync(item.Key, cancellationToken))
            {
                yield return line;
            }

            _lastKey = item.Key;
        }
    }

    private async Task<List<LogLine>> ReadChunkAsync(string key, CancellationToken cancellationToken)
    {
        using FetchedObject chunk = await _store.GetAsync(key, range: null, ifMatch: null, cancellationToken);
        using var content = new MemoryStream();
        await chunk.Body.CopyToAsync(content, cancellationToken);
        var lines = new List<LogLine>();
        ReadOnlySpan<byte> rest = content.GetBuffer().AsSpan(0, (int)content.Length);
        while (rest.Length > 0)
        {
            int end = rest.IndexOf((byte)'\n');
            ReadOnlySpan<byte> json = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 1)..];
            if (LogLine.Parse(json) is { } line)
            {
                lines.Add(line);
            }
        }

        return lines;
    }
}
