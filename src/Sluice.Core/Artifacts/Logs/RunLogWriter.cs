using System.Security.Cryptography;
using Sluice.Core.Artifacts.Runs;
using Sluice.Core.Providers;
using Sluice.Core.Transfers;

namespace Sluice.Core.Artifacts.Logs;

/// <summary>
/// Appends lines to a run's log as Polyaxon's chunks (<see cref="LogChunk"/>): lines gather in
/// memory, and each flush stores them as chunks of at most <see cref="LogChunk.MaxLines"/> lines,
/// each named after its last line's time.
/// <list type="bullet">
/// <item>No chunk is overwritten: a chunk is written only where no object is (<c>If-None-Match: *</c>).
/// A name taken by another writer's chunk moves this chunk's last line on by a microsecond, and
/// so its name.</item>
/// <item>No line is stored twice: a flush that fails keeps its chunk exactly as it was (name and
/// bytes), and the next flush stores that chunk first; if the failed one was stored after all (its
/// answer lost), the name is taken by the same bytes, which the MD5 recognises.</item>
/// <item>Names only grow, for readers that follow by name: each chunk's last line is later than the
/// last stored chunk's, this writer's or (from <see cref="OpenAsync"/>) any earlier writer's.</item>
/// </list>
/// </summary>
public sealed class RunLogWriter
{
    private static readonly TimeSpan Microsecond = TimeSpan.FromTicks(10);

    private readonly IObjectStore _store;
    private readonly RunLayout _run;
    private readonly TimeProvider _time;
    private readonly LogSource _source;
    private readonly List<LogLine> _lines = [];
    private Chunk? _unconfirmed;
    private DateTimeOffset _lastStored = DateTimeOffset.MinValue;
    private DateTimeOffset _lastAppended = DateTimeOffset.MinValue;

    internal RunLogWriter(IObjectStore store, RunLayout run, LogSource source, TimeProvider time)
    {
        _store = store;
        _run = run;
        _source = source;
        _time = time;
    }

    /// <summary>The run's chunk directory, <c>plxlogs</c>.</summary>
    public static RunPath Directory { get; } = RunPath.Parse(LogChunk.Directory);

    public int BufferedLines => _lines.Count + (_unconfirmed?.Lines ?? 0);

    /// <summary>About the bytes the buffered lines take as rows.</summary>
    public long BufferedBytes { get; private set; }

    /// <summary>Finds the run's latest chunk, so this writer's names sort after it (a job's second attempt appends).</summary>
    public async Task OpenAsync(CancellationToken cancellationToken)
    {
        string prefix = _run.DirectoryPrefixOf(Directory);
        foreach (StoredObject item in await _store.ListAsync(prefix, cancellationToken))
        {
            if (LogChunk.TimeOfName(item.Key[prefix.Length..]) is { } time && time > _lastStored)
            {
                _lastStored = time;
            }
        }
    }

    public void Append(string line)
    {
        // Rows keep the order they were read in even when the clock steps back.
        DateTimeOffset now = Plx.PlxTimestamp.ToMicroseconds(_time.GetUtcNow());
        _lastAppended = now > _lastAppended ? now : _lastAppended;
        _lines.Add(new LogLine(_lastAppended, _source.Node, _source.Pod, _source.Container, line));
        BufferedBytes += line.Length + 64;
    }

    /// <summary>Stores the buffered lines: the path of the last chunk stored, or null when nothing was buffered.</summary>
    public async Task<RunPath?> FlushAsync(CancellationToken cancellationToken)
    {
        RunPath? last = null;
        while (_unconfirmed is not null || _lines.Count > 0)
        {
            if (_unconfirmed is null)
            {
                int take = Math.Min(_lines.Count, LogChunk.MaxLines);
                _unconfirmed = Name(_lines.GetRange(0, take));
                _lines.RemoveRange(0, take);
            }

            last = await StoreAsync(_unconfirmed, cancellationToken);
            _lastStored = _unconfirmed.Rows[^1].Timestamp;
            _unconfirmed = null;
        }

        BufferedBytes = 0;
        return last;
    }

    /// <summary>The chunk of these lines, its last line moved past the last stored chunk if the clock has not.</summary>
    private Chunk Name(List<LogLine> rows)
    {
        if (rows[^1].Timestamp <= _lastStored)
        {
            rows[^1] = rows[^1] with { Timestamp = _lastStored + Microsecond };
        }

        return new Chunk(rows);
    }

    private async Task<RunPath> StoreAsync(Chunk chunk, CancellationToken cancellationToken)
    {
        while (true)
        {
            RunPath path = Directory.Append(LogChunk.NameOf(chunk.Rows[^1].Timestamp));
            string key = _run.KeyOf(path);
            try
            {
                using var body = new MemoryStream(chunk.Body, writable: false);
                await _store.PutAsync(new ObjectPut(key, body, Digest: null, "text/plain; charset=utf-8", OnlyIfAbsent: true), cancellationToken);
                return path;
            }
            catch (ObjectStoreException e) when (e.Failure == ObjectStoreFailure.Conflict)
            {
                // S3: another conditional write of this key is in flight; its outcome decides.
                await Task.Delay(100, cancellationToken);
            }
            catch (ObjectStoreException e) when (e.Failure == ObjectStoreFailure.PreconditionFailed)
            {
                // The name is taken: by these very bytes (a retry after a lost answer), or by another writer.
                if (await _store.HeadAsync(key, cancellationToken) is { } stored && ContentETag.Normalize(stored.ETag) == chunk.Md5)
                {
                    return path;
                }

                chunk.MoveLastLine(Microsecond);
            }
        }
    }

    /// <summary>A chunk's lines and bytes, fixed once named, so that a retry sends exactly what the failed flush sent.</summary>
    private sealed class Chunk(List<LogLine> rows)
    {
        public List<LogLine> Rows { get; } = rows;

        public int Lines => Rows.Count;

        public byte[] Body { get; private set; } = LogChunk.Encode(rows);

        public string Md5 => Convert.ToHexStringLower(MD5.HashData(Body));

        public void MoveLastLine(TimeSpan by)
        {
            Rows[^1] = Rows[^1] with { Timestamp = Rows[^1].Timestamp + by };
            Body = LogChunk.Encode(Rows);
        }
    }
}
