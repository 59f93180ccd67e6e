using System.Buffers;
using System.Net;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace Sluice.Cli.Commands.Upload;

/// <summary>
/// One part's bytes, streamed from the file (memory stays small whatever the part size), counted
/// as they go out for the progress display, and hashed so the bucket's ETag can be checked.
/// </summary>
public sealed class FileRangeContent(SafeFileHandle file, long offset, long length, Action<long> sent) : HttpContent
{
    private const int ChunkBytes = 256 * 1024;

    /// <summary>The MD5 of the bytes sent, once they all were.</summary>
    public byte[]? Md5 { get; private set; }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        byte[] buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(length, 1, ChunkBytes));
        try
        {
            long done = 0;
            while (done < length)
            {
                int want = (int)Math.Min(buffer.Length, length - done);
                int read = await RandomAccess.ReadAsync(file, buffer.AsMemory(0, want), offset + done, cancellationToken);
                if (read == 0)
                {
                    throw new FileChangedException("the file became shorter while it was uploaded");
                }

                md5.AppendData(buffer, 0, read);
                await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                done += read;
                sent(read);
            }

            Md5 = md5.GetHashAndReset();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    protected override bool TryComputeLength(out long length1)
    {
        length1 = length;
        return true;
    }
}
