using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;
using Sluice.Core.Artifacts.Runs;

namespace Sluice.Core.Artifacts.Logs;

/// <summary>
/// Reads a run's log stream chunk by chunk, remembering the last chunk read, so that calling
/// <see cref="ReadNewAsync"/> again (as <c>logs --follow</c> does) yields only what was added since.
/// </summary>
public sealed class RunLogReader
{
    private readonly IAmazonS3 _s3;
    private readonly string _bucket;
    private readonly string _prefix;
    private string? _lastKey;

    internal RunLogReader(IAmazonS3 s3, string bucket, RunLayout run, RunPath stream)
    {
        _s3 = s3;
        _bucket = bucket;
        _prefix = run.DirectoryPrefixOf(stream);
        Stream = stream;
    }

    public RunPath Stream { get; }

    public async IAsyncEnumerable<LogLine> ReadNewAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = _prefix, StartAfter = _lastKey };
        ListObjectsV2Response page;
        do
        {
            page = await _s3.ListObjectsV2Async(request, cancellationToken);
            foreach (S3Object item in page.S3Objects ?? [])
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

            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true && !string.IsNullOrEmpty(page.NextContinuationToken));
    }

    private async Task<List<LogLine>> ReadChunkAsync(string key, CancellationToken cancellationToken)
    {
        using GetObjectResponse response = await _s3.GetObjectAsync(new GetObjectRequest { BucketName = _bucket, Key = key }, cancellationToken);
        using var content = new MemoryStream();
        await response.ResponseStream.CopyToAsync(content, cancellationToken);
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
