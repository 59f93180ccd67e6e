using Microsoft.Win32.SafeHandles;

namespace Sluice.Core.Transfers;

/// <summary>
/// A read-only, seekable view of <c>length</c> bytes of an open file from <c>offset</c>, read with
/// positional reads: many parts of one file can be sent at once from one handle each, and the
/// HTTP client reads it in its own buffer size, not the 4 KiB of a default FileStream.
/// </summary>
public sealed class FileRangeStream(SafeFileHandle handle, long offset, long length) : Stream
{
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => _position = value is >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int want = Want(buffer.Length);
        if (want == 0)
        {
            return 0;
        }

        int read = RandomAccess.Read(handle, buffer[..want], offset + _position);
        _position += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int want = Want(buffer.Length);
        if (want == 0)
        {
            return 0;
        }

        int read = await RandomAccess.ReadAsync(handle, buffer[..want], offset + _position, cancellationToken);
        _position += read;
        return read;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => length + offset,
        };
        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Want(int count) => (int)Math.Min(count, Math.Max(0, length - _position));
}
