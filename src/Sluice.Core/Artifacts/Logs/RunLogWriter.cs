using System.Buffers;
using System.Security.Cryptography;
using Sluice.Core.Artifacts.Runs;
using Sluice.Core.Providers;
using Sluice.Core.Transfers;

namespace Sluice.Core.Artifacts.Logs;

/// <summary>
/// Appends lines to a run's log stream: lines gather in memory and each flush stores them as the
/// stream's next chunk (see <see cref="LogChunkName"/>). Chunks are written only if absent
/// (<c>If-None-Match: *</c>), so two writers on one stream never overwrite each other: the one
/// that finds its number taken moves on to the next. A failed flush keeps the lines, so the next
/// flush stores them with what came since; a flush whose answer was lost but which was stored is
/// recognised by its MD5, so a retry never duplicates a line.
/// </summary>
public sealed class RunLogWriter
{
    private readonly IObjectStore _store;
    private readonly RunLayout _run;
    private readonly TimeProvider _time;
    private ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private long _next = 1;

    /// <summary>The last flush that failed: it may have been stored all the same (its answer lost).</summary>
    private (long Number, int Bytes, int Lines, string Md5)? _unconfirmed;

    internal RunLogWriter(IObjectStore store, RunLayout run, RunPath stream, TimeProvider time)
    {
        _store = store;
        _run = run;
        _time = time;
        Stream = stream;
    }

    /// <summary>The stream's directory in the run, e.g. <c>logs/main</c>.</summary>
    public RunPath Stream { get; }

    public int BufferedLines { get; private set; }

    public long BufferedBytes => _buffer.WrittenCount;

    /// <summary>Continues after the chunks the stream already has (a job's second attempt appends, it does not overwrite).</summary>
    public async Task OpenAsync(CancellationToken cancellationToken)
    {
        string prefix = _run.DirectoryPrefixOf(Stream);
        long last = 0;
        foreach (StoredObject item in await _store.ListAsync(prefix, cancellationToken))
        {
            if (LogChunkName.SequenceOf(item.Key[prefix.Length..]) is { } sequence && sequence > last)
            {
                last = sequence;
            }
        }

        _next = last + 1;
    }

    public void Append(string line)
    {
        new LogLine(_time.GetUtcNow(), line).WriteTo(_buffer);
        BufferedLines++;
    }

    /// <summary>Stores the buffered lines as the next chunk: its path in the run, or null when nothing was buffered.</summary>
    public async Task<RunPath?> FlushAsync(CancellationToken cancellationToken)
    {
        while (BufferedLines > 0)
        {
            RunPath chunk = Stream.Append(LogChunkName.Of(_next));
            byte[] body = _buffer.WrittenSpan.ToArray();
            try
            {
                await PutIfAbsentAsync(_run.KeyOf(chunk), body, cancellationToken);
            }
            catch (ObjectStoreException e) when (e.Failure == ObjectStoreFailure.Conflict)
            {
                // S3: another conditional write of this key is in flight; its outcome decides.
                await Task.Delay(100, cancellationToken);
                continue;
            }
            catch (ObjectStoreException e) when (e.Failure == ObjectStoreFailure.PreconditionFailed)
            {
                // The number is taken: by this very body (an SDK retry after a lost answer), by an
                // earlier flush of ours that failed but was stored, or by another writer.
                string? stored = await ETagOfAsync(_run.KeyOf(chunk), cancellationToken);
                if (stored == Md5Hex(body))
                {
                    Stored(body.Length, BufferedLines);
                    return chunk;
                }

                if (_unconfirmed is { } earlier && earlier.Number == _next && stored == earlier.Md5)
                {
                    Stored(earlier.Bytes, earlier.Lines);
                    continue;
                }

                _next++;
                continue;
            }
            catch
            {
                _unconfirmed = (_next, body.Length, BufferedLines, Md5Hex(body));
                throw;
            }

            Stored(body.Length, BufferedLines);
            return chunk;
        }

        return null;
    }

    /// <summary>The first <paramref name="bytes"/> (<paramref name="lines"/> lines) are stored as chunk <see cref="_next"/>: drop them, move on.</summary>
    private void Stored(int bytes, int lines)
    {
        if (bytes == _buffer.WrittenCount)
        {
            _buffer.ResetWrittenCount(); // the usual case: keep the buffer's capacity
        }
        else
        {
            var rest = new ArrayBufferWriter<byte>(Math.Max(64 * 1024, _buffer.WrittenCount - bytes));
            rest.Write(_buffer.WrittenSpan[bytes..]);
            _buffer = rest;
        }

        BufferedLines -= lines;
        _next++;
        _unconfirmed = null;
    }

    private async Task PutIfAbsentAsync(string key, byte[] body, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream(body, writable: false);
        await _store.PutAsync(new ObjectPut(key, stream, Digest: null, "application/x-ndjson", OnlyIfAbsent: true), cancellationToken);
    }

    private static string Md5Hex(byte[] body) => Convert.ToHexStringLower(MD5.HashData(body));

    private async Task<string?> ETagOfAsync(string key, CancellationToken cancellationToken) =>
        await _store.HeadAsync(key, cancellationToken) is { } head ? ContentETag.Normalize(head.ETag) : null;
}
