using System.Threading.Channels;
using Microsoft.Win32.SafeHandles;
using Sluice.Core.Checksums;

namespace Sluice.Core.Transfers;

/// <summary>
/// The MD5s of a multipart object's parts, computed while the rest of it is still downloading:
/// each part, once written, is queued; parts are read back (from the page cache) and hashed
/// <see cref="ParallelMd5.Width"/> at a time, so the ETag check costs little CPU and little time
/// after the last byte arrives. Disposing stops the work (it never outlives the file handle).
/// </summary>
internal sealed class PartDigester : IAsyncDisposable
{
    private readonly Channel<int> _written = Channel.CreateUnbounded<int>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly SafeFileHandle _file;
    private readonly (long Offset, long Length)[] _parts;
    private readonly Task<byte[]> _work;

    /// <param name="file">Opened for reading.</param>
    public PartDigester(SafeFileHandle file, long size, long partSize)
    {
        _file = file;
        _parts = new PartLayout(size, partSize).Ranges;
        _work = Task.Run(HashAsync);
    }

    /// <summary>Part <paramref name="index"/> (0-based) is completely written.</summary>
    public void Written(int index) => _written.Writer.TryWrite(index);

    /// <summary>The parts' binary MD5s, concatenated in part order, once every part was <see cref="Written"/>.</summary>
    public Task<byte[]> DigestsAsync()
    {
        _written.Writer.TryComplete();
        return _work;
    }

    public async ValueTask DisposeAsync()
    {
        _written.Writer.TryComplete();
        await _stop.CancelAsync();
        try
        {
            await _work;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // The download failed or was cancelled; its own error is the one that matters.
        }

        _stop.Dispose();
    }

    private async Task<byte[]> HashAsync()
    {
        byte[] digests = new byte[_parts.Length * 16];
        int width = ParallelMd5.Width;
        var batch = new List<int>(width);
        ChannelReader<int> reader = _written.Reader;
        while (await reader.WaitToReadAsync(_stop.Token))
        {
            while (batch.Count < width && reader.TryRead(out int index))
            {
                batch.Add(index);
            }

            if (batch.Count == width)
            {
                Hash(batch, digests);
            }
        }

        Hash(batch, digests);
        return digests;
    }

    private void Hash(List<int> batch, byte[] digests)
    {
        var ranges = new (long Offset, long Length)[batch.Count];
        byte[] found = new byte[batch.Count * 16];
        for (int i = 0; i < batch.Count; i++)
        {
            ranges[i] = _parts[batch[i]];
        }

        ParallelMd5.HashRanges(_file, ranges, found, _stop.Token);
        for (int i = 0; i < batch.Count; i++)
        {
            found.AsSpan(i * 16, 16).CopyTo(digests.AsSpan(batch[i] * 16, 16));
        }

        batch.Clear();
    }
}
