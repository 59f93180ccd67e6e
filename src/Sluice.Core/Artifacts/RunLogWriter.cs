using System.Buffers;
using Amazon.S3;
using Amazon.S3.Model;

namespace Sluice.Core.Artifacts;

/// <summary>
/// Appends lines to a run's log stream: lines gather in memory and each flush stores them as the
/// stream's next chunk (see <see cref="LogChunkName"/>). A failed flush keeps the lines and the
/// chunk's number, so the next flush stores them (and what came since) under the same key: a
/// retry never duplicates a line. One writer per stream: two would number chunks alike.
/// </summary>
public sealed class RunLogWriter
{
    private readonly IAmazonS3 _s3;
    private readonly string _bucket;
    private readonly RunLayout _run;
    private readonly TimeProvider _time;
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private long _next = 1;

    internal RunLogWriter(IAmazonS3 s3, string bucket, RunLayout run, RunPath stream, TimeProvider time)
    {
        _s3 = s3;
        _bucket = bucket;
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
        foreach (S3Object item in await S3Calls.ListObjectsAsync(_s3, _bucket, prefix, cancellationToken))
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
        if (BufferedLines == 0)
        {
            return null;
        }

        RunPath chunk = Stream.Append(LogChunkName.Of(_next));
        using var body = new MemoryStream(_buffer.WrittenMemory.ToArray(), writable: false);
        await _s3.PutObjectAsync(
            new PutObjectRequest
            {
                BucketName = _bucket,
                Key = _run.KeyOf(chunk),
                InputStream = body,
                ContentType = "application/x-ndjson",
                AutoCloseStream = false,
            },
            cancellationToken);
        _buffer.ResetWrittenCount();
        BufferedLines = 0;
        _next++;
        return chunk;
    }
}
