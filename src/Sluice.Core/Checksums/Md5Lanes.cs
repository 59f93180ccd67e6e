using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Sluice.Core.Checksums;

/// <summary>
/// MD5's block function (RFC 1321, section 3.4) on a group of messages at once, one per 32-bit
/// lane (<see cref="IMd5Lanes{TSelf}"/>): lane j reads its message's words at <c>lanes[j]</c>
/// (x86 is little-endian, as MD5's words are).
/// </summary>
internal static class Md5Lanes
{
    // The sines' constants (RFC 1321, 3.4: K[i] = floor(abs(sin(i + 1)) * 2^32)).
    private static ReadOnlySpan<uint> K =>
    [
        0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
        0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
        0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
        0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
        0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
        0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
        0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
        0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
    ];

    // The message word each step reads: in order in round 1, then (1 + 5i), (5 + 3i) and 7i mod 16.
    private static ReadOnlySpan<byte> Word =>
    [
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
        1, 6, 11, 0, 5, 10, 15, 4, 9, 14, 3, 8, 13, 2, 7, 12,
        5, 8, 11, 14, 1, 4, 7, 10, 13, 0, 3, 6, 9, 12, 15, 2,
        0, 7, 14, 5, 12, 3, 10, 1, 8, 15, 6, 13, 4, 11, 2, 9,
    ];

    /// <summary>Runs <paramref name="blocks"/> consecutive 64-byte blocks of every lane through the state.</summary>
    /// <remarks>
    /// Compiled fully optimized at its first call: ReadyToRun images hold no AVX2 code, and the
    /// first tier would run the steps as calls, not inlined, for the first hundreds of megabytes.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Blocks<T>(ref T a0, ref T b0, ref T c0, ref T d0, uint** lanes, int blocks)
        where T : unmanaged, IMd5Lanes<T>
    {
        T a = a0, b = b0, c = c0, d = d0;
        T* m = stackalloc T[16];
        for (int block = 0; block < blocks; block++)
        {
            T.Load(lanes, block * 16, m);
            T.Load(lanes, (block * 16) + 8, m + 8);

            T aa = a, bb = b, cc = c, dd = d;

            // Four steps per turn, so that each rotation count is a constant (MD5's repeat every four
            // steps within a round); the constants and word orders come from tables.
            for (int i = 0; i < 16; i += 4)
            {
                a = F(a, b, c, d, m[i], K[i], 7);
                d = F(d, a, b, c, m[i + 1], K[i + 1], 12);
                c = F(c, d, a, b, m[i + 2], K[i + 2], 17);
                b = F(b, c, d, a, m[i + 3], K[i + 3], 22);
            }

            for (int i = 16; i < 32; i += 4)
            {
                a = G(a, b, c, d, m[Word[i]], K[i], 5);
                d = G(d, a, b, c, m[Word[i + 1]], K[i + 1], 9);
                c = G(c, d, a, b, m[Word[i + 2]], K[i + 2], 14);
                b = G(b, c, d, a, m[Word[i + 3]], K[i + 3], 20);
            }

            for (int i = 32; i < 48; i += 4)
            {
                a = H(a, b, c, d, m[Word[i]], K[i], 4);
                d = H(d, a, b, c, m[Word[i + 1]], K[i + 1], 11);
                c = H(c, d, a, b, m[Word[i + 2]], K[i + 2], 16);
                b = H(b, c, d, a, m[Word[i + 3]], K[i + 3], 23);
            }

            for (int i = 48; i < 64; i += 4)
            {
                a = I(a, b, c, d, m[Word[i]], K[i], 6);
                d = I(d, a, b, c, m[Word[i + 1]], K[i + 1], 10);
                c = I(c, d, a, b, m[Word[i + 2]], K[i + 2], 15);
                b = I(b, c, d, a, m[Word[i + 3]], K[i + 3], 21);
            }

            a = a + aa;
            b = b + bb;
            c = c + cc;
            d = d + dd;
        }

        a0 = a;
        b0 = b;
        c0 = c;
        d0 = d;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T F<T>(T a, T b, T c, T d, T m, uint k, [ConstantExpected] byte s)
        where T : unmanaged, IMd5Lanes<T> => Step(a, b, T.Select(b, c, d), m, k, s);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T G<T>(T a, T b, T c, T d, T m, uint k, [ConstantExpected] byte s)
        where T : unmanaged, IMd5Lanes<T> => Step(a, b, T.Select(d, b, c), m, k, s);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T H<T>(T a, T b, T c, T d, T m, uint k, [ConstantExpected] byte s)
        where T : unmanaged, IMd5Lanes<T> => Step(a, b, T.Xor3(b, c, d), m, k, s);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T I<T>(T a, T b, T c, T d, T m, uint k, [ConstantExpected] byte s)
        where T : unmanaged, IMd5Lanes<T> => Step(a, b, T.OrNotXor(b, c, d), m, k, s);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Step<T>(T a, T b, T f, T m, uint k, [ConstantExpected] byte s)
        where T : unmanaged, IMd5Lanes<T> => b + T.RotateLeft(a + f + m + T.Broadcast(k), s);
}
