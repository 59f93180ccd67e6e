using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace Sluice.Core.Checksums;

/// <summary>
/// The MD5s of several byte ranges of a file, computed side by side. One MD5 is a chain of
/// dependent steps that holds a core to about 650 MB/s here, but the parts of a multipart object
/// are independent messages, and checking its ETag needs exactly the MD5 of every part: up to
/// sixteen parts go through the same AVX2 instructions at once (<see cref="Md5Lanes"/>, in
/// groups of <see cref="Md5Lanes16"/>, or of <see cref="Md5Lanes8"/> for eight or fewer), several
/// times the platform's MD5 (bench/Sluice.Benchmarks, PartMd5Benchmarks). Without AVX2 each range
/// is hashed on its own by the platform's MD5.
/// </summary>
public static class ParallelMd5
{
    private const int MaxLanes = 16;
    private const int RoundBytes = 1024 * 1024; // read from all lanes' ranges per round: it stays in the core's cache
    private const int TailStrideBytes = 128;    // room for a lane's last one or two padded blocks

    /// <summary>How many ranges are hashed at once on this machine.</summary>
    public static int Width => Avx2.IsSupported ? MaxLanes : 1;

    /// <summary>Writes the MD5 of each range of <paramref name="file"/> (16 bytes each, in order) to <paramref name="digests"/>.</summary>
    /// <exception cref="EndOfStreamException">The file ends inside a range.</exception>
    public static void HashRanges(SafeFileHandle file, ReadOnlySpan<(long Offset, long Length)> ranges, Span<byte> digests, CancellationToken cancellationToken = default) =>
        HashRanges(file, ranges, digests, Width, cancellationToken);

    /// <summary>As the public overload, with the most ranges hashed at once given (1: the platform's MD5 for each range; 8: never the sixteen-lane group).</summary>
    internal static void HashRanges(SafeFileHandle file, ReadOnlySpan<(long Offset, long Length)> ranges, Span<byte> digests, int width, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(digests.Length, ranges.Length * 16);
        // Ranges of one length share their padding, so they go through the lanes together.
        var byLength = new Dictionary<long, List<int>>();
        for (int i = 0; i < ranges.Length; i++)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(ranges[i].Length);
            if (!byLength.TryGetValue(ranges[i].Length, out var indices))
            {
                byLength[ranges[i].Length] = indices = [];
            }

            indices.Add(i);
        }

        foreach ((long length, List<int> indices) in byLength)
        {
            for (int start = 0; start < indices.Count; start += Math.Max(width, 1))
            {
                int count = Math.Min(Math.Max(width, 1), indices.Count - start);
                if (count == 1 || width < Md5Lanes8.Count)
                {
                    for (int i = start; i < start + count; i++)
                    {
                        HashOne(file, ranges[indices[i]], digests.Slice(indices[i] * 16, 16), cancellationToken);
                    }

                    continue;
                }

                long[] offsets = new long[count];
                for (int j = 0; j < count; j++)
                {
                    offsets[j] = ranges[indices[start + j]].Offset;
                }

                byte[] results = count > Md5Lanes8.Count
                    ? HashLanes<Md5Lanes16>(file, offsets, length, cancellationToken)
                    : HashLanes<Md5Lanes8>(file, offsets, length, cancellationToken);
                for (int j = 0; j < count; j++)
                {
                    results.AsSpan(j * 16, 16).CopyTo(digests.Slice(indices[start + j] * 16, 16));
                }
            }
        }
    }

    private static void HashOne(SafeFileHandle file, (long Offset, long Length) range, Span<byte> digest, CancellationToken cancellationToken)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        byte[] buffer = new byte[(int)Math.Clamp(range.Length, 1, RoundBytes / 2)];
        for (long done = 0; done < range.Length;)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int n = (int)Math.Min(buffer.Length, range.Length - done);
            ReadExactly(file, buffer.AsSpan(0, n), range.Offset + done);
            md5.AppendData(buffer, 0, n);
            done += n;
        }

        md5.GetHashAndReset(digest);
    }

    /// <summary>The MD5s (16 bytes each) of up to <c>T.Count</c> ranges of one length, one lane each; unused lanes repeat lane 0.</summary>
    private static unsafe byte[] HashLanes<T>(SafeFileHandle file, long[] offsets, long length, CancellationToken cancellationToken)
        where T : unmanaged, IMd5Lanes<T>
    {
        int used = offsets.Length;
        int chunk = RoundBytes / T.Count;
        byte* data = (byte*)NativeMemory.AlignedAlloc((nuint)RoundBytes, 64);
        try
        {
            uint** lanes = stackalloc uint*[T.Count];
            T a = T.Broadcast(0x67452301u), b = T.Broadcast(0xefcdab89u);
            T c = T.Broadcast(0x98badcfeu), d = T.Broadcast(0x10325476u);

            long whole = length - length % 64; // the bytes in full blocks; the rest goes with the padding
            PointLanes(lanes, T.Count, data, chunk, used);

            for (long done = 0; done < whole;)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int n = (int)Math.Min(chunk, whole - done);
                for (int j = 0; j < used; j++)
                {
                    ReadExactly(file, new Span<byte>(data + j * chunk, n), offsets[j] + done);
                }

                Md5Lanes.Blocks(ref a, ref b, ref c, ref d, lanes, n / 64);
                done += n;
            }

            // Each lane's last partial block, then 0x80, zeros and the length in bits (RFC 1321, 3.1 and 3.2).
            int rest = (int)(length - whole);
            int tailBlocks = rest + 9 <= 64 ? 1 : 2;
            new Span<byte>(data, T.Count * TailStrideBytes).Clear();
            PointLanes(lanes, T.Count, data, TailStrideBytes, used);

            for (int j = 0; j < used; j++)
            {
                var tail = new Span<byte>(data + j * TailStrideBytes, tailBlocks * 64);
                ReadExactly(file, tail[..rest], offsets[j] + whole);
                tail[rest] = 0x80;
                BinaryPrimitives.WriteUInt64LittleEndian(tail[^8..], (ulong)length * 8);
            }

            Md5Lanes.Blocks(ref a, ref b, ref c, ref d, lanes, tailBlocks);

            byte[] digests = new byte[used * 16];
            for (int j = 0; j < used; j++)
            {
                Span<byte> digest = digests.AsSpan(j * 16, 16);
                BinaryPrimitives.WriteUInt32LittleEndian(digest, a.Lane(j));
                BinaryPrimitives.WriteUInt32LittleEndian(digest[4..], b.Lane(j));
                BinaryPrimitives.WriteUInt32LittleEndian(digest[8..], c.Lane(j));
                BinaryPrimitives.WriteUInt32LittleEndian(digest[12..], d.Lane(j));
            }

            return digests;
        }
        finally
        {
            NativeMemory.AlignedFree(data);
        }
    }

    /// <summary>Lane j's words at <c>data + j * stride</c>; lanes from <paramref name="used"/> on read lane 0's.</summary>
    private static unsafe void PointLanes(uint** lanes, int count, byte* data, int stride, int used)
    {
        for (int j = 0; j < count; j++)
        {
            lanes[j] = (uint*)(data + ((j < used ? j : 0) * stride));
        }
    }

    private static void ReadExactly(SafeFileHandle file, Span<byte> buffer, long offset)
    {
        while (!buffer.IsEmpty)
        {
            int n = RandomAccess.Read(file, buffer, offset);
            if (n == 0)
            {
                throw new EndOfStreamException($"the file ends before byte {offset + buffer.Length}");
            }

            buffer = buffer[n..];
            offset += n;
        }
    }
}
