using System.Buffers;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace Sluice.Core.Transfers;

/// <summary>
/// A request body's MD5 (its Content-MD5, and what its ETag must be) and, when the payload is
/// signed, its SHA-256 (what the signature covers), both from one read of the file.
/// </summary>
public sealed record PayloadDigest(byte[] Md5, string? Sha256Hex)
{
    private const int BufferSize = 1024 * 1024;

    /// <exception cref="IOException">The file is shorter than expected (it changed while being read).</exception>
    public static async Task<PayloadDigest> ComputeAsync(SafeFileHandle file, long offset, long length, bool withSha256, CancellationToken cancellationToken)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        using IncrementalHash? sha256 = withSha256 ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
        byte[] buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(BufferSize, Math.Max(length, 1)));
        try
        {
            long done = 0;
            while (done < length)
            {
                int want = (int)Math.Min(buffer.Length, length - done);
                int read = await RandomAccess.ReadAsync(file, buffer.AsMemory(0, want), offset + done, cancellationToken);
                if (read == 0)
                {
                    throw new IOException("the file became shorter while it was read");
                }

                md5.AppendData(buffer, 0, read);
                sha256?.AppendData(buffer, 0, read);
                done += read;
            }

            return new PayloadDigest(md5.GetHashAndReset(), sha256 is null ? null : Convert.ToHexStringLower(sha256.GetHashAndReset()));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The digests of a body held in memory.</summary>
    public static PayloadDigest Of(ReadOnlySpan<byte> content, bool withSha256) =>
        new(MD5.HashData(content), withSha256 ? Convert.ToHexStringLower(SHA256.HashData(content)) : null);
}
