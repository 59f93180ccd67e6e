using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Sluice.Core.Checksums;

/// <summary>
/// MD5's block function (RFC 1321, section 3.4) on eight messages at once, one per 32-bit lane of
/// an AVX2 register: lane j reads its message's words at <c>words + offsets[j]</c> (x86 is
/// little-endian, as MD5's words are). Where AVX-512VL is present, its rotate and three-input
/// logic instructions stand in for two or three AVX2 ones each.
/// </summary>
internal static class Md5x8
{
    /// <summary>Runs <paramref name="blocks"/> consecutive 64-byte blocks of every lane through the state.</summary>
    /// <remarks>
    /// Compiled fully optimized at its first call: ReadyToRun images hold no AVX2 code, and the
    /// first tier would run the steps as calls, not inlined, for the first hundreds of megabytes.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Blocks(ref Vector256<uint> a0, ref Vector256<uint> b0, ref Vector256<uint> c0, ref Vector256<uint> d0, uint* words, Vector256<int> offsets, int blocks)
    {
        Vector256<uint> a = a0, b = b0, c = c0, d = d0;
        for (int block = 0; block < blocks; block++, words += 16)
        {
            Vector256<uint> m0 = Gather(words, offsets, 0), m1 = Gather(words, offsets, 1), m2 = Gather(words, offsets, 2), m3 = Gather(words, offsets, 3);
            Vector256<uint> m4 = Gather(words, offsets, 4), m5 = Gather(words, offsets, 5), m6 = Gather(words, offsets, 6), m7 = Gather(words, offsets, 7);
            Vector256<uint> m8 = Gather(words, offsets, 8), m9 = Gather(words, offsets, 9), m10 = Gather(words, offsets, 10), m11 = Gather(words, offsets, 11);
            Vector256<uint> m12 = Gather(words, offsets, 12), m13 = Gather(words, offsets, 13), m14 = Gather(words, offsets, 14), m15 = Gather(words, offsets, 15);
            Vector256<uint> aa = a, bb = b, cc = c, dd = d;

            a = F(a, b, c, d, m0, 0xd76aa478, 7); d = F(d, a, b, c, m1, 0xe8c7b756, 12); c = F(c, d, a, b, m2, 0x242070db, 17); b = F(b, c, d, a, m3, 0xc1bdceee, 22);
            a = F(a, b, c, d, m4, 0xf57c0faf, 7); d = F(d, a, b, c, m5, 0x4787c62a, 12); c = F(c, d, a, b, m6, 0xa8304613, 17); b = F(b, c, d, a, m7, 0xfd469501, 22);
            a = F(a, b, c, d, m8, 0x698098d8, 7); d = F(d, a, b, c, m9, 0x8b44f7af, 12); c = F(c, d, a, b, m10, 0xffff5bb1, 17); b = F(b, c, d, a, m11, 0x895cd7be, 22);
            a = F(a, b, c, d, m12, 0x6b901122, 7); d = F(d, a, b, c, m13, 0xfd987193, 12); c = F(c, d, a, b, m14, 0xa679438e, 17); b = F(b, c, d, a, m15, 0x49b40821, 22);

            a = G(a, b, c, d, m1, 0xf61e2562, 5); d = G(d, a, b, c, m6, 0xc040b340, 9); c = G(c, d, a, b, m11, 0x265e5a51, 14); b = G(b, c, d, a, m0, 0xe9b6c7aa, 20);
            a = G(a, b, c, d, m5, 0xd62f105d, 5); d = G(d, a, b, c, m10, 0x02441453, 9); c = G(c, d, a, b, m15, 0xd8a1e681, 14); b = G(b, c, d, a, m4, 0xe7d3fbc8, 20);
            a = G(a, b, c, d, m9, 0x21e1cde6, 5); d = G(d, a, b, c, m14, 0xc33707d6, 9); c = G(c, d, a, b, m3, 0xf4d50d87, 14); b = G(b, c, d, a, m8, 0x455a14ed, 20);
            a = G(a, b, c, d, m13, 0xa9e3e905, 5); d = G(d, a, b, c, m2, 0xfcefa3f8, 9); c = G(c, d, a, b, m7, 0x676f02d9, 14); b = G(b, c, d, a, m12, 0x8d2a4c8a, 20);

            a = H(a, b, c, d, m5, 0xfffa3942, 4); d = H(d, a, b, c, m8, 0x8771f681, 11); c = H(c, d, a, b, m11, 0x6d9d6122, 16); b = H(b, c, d, a, m14, 0xfde5380c, 23);
            a = H(a, b, c, d, m1, 0xa4beea44, 4); d = H(d, a, b, c, m4, 0x4bdecfa9, 11); c = H(c, d, a, b, m7, 0xf6bb4b60, 16); b = H(b, c, d, a, m10, 0xbebfbc70, 23);
            a = H(a, b, c, d, m13, 0x289b7ec6, 4); d = H(d, a, b, c, m0, 0xeaa127fa, 11); c = H(c, d, a, b, m3, 0xd4ef3085, 16); b = H(b, c, d, a, m6, 0x04881d05, 23);
            a = H(a, b, c, d, m9, 0xd9d4d039, 4); d = H(d, a, b, c, m12, 0xe6db99e5, 11); c = H(c, d, a, b, m15, 0x1fa27cf8, 16); b = H(b, c, d, a, m2, 0xc4ac5665, 23);

            a = I(a, b, c, d, m0, 0xf4292244, 6); d = I(d, a, b, c, m7, 0x432aff97, 10); c = I(c, d, a, b, m14, 0xab9423a7, 15); b = I(b, c, d, a, m5, 0xfc93a039, 21);
            a = I(a, b, c, d, m12, 0x655b59c3, 6); d = I(d, a, b, c, m3, 0x8f0ccc92, 10); c = I(c, d, a, b, m10, 0xffeff47d, 15); b = I(b, c, d, a, m1, 0x85845dd1, 21);
            a = I(a, b, c, d, m8, 0x6fa87e4f, 6); d = I(d, a, b, c, m15, 0xfe2ce6e0, 10); c = I(c, d, a, b, m6, 0xa3014314, 15); b = I(b, c, d, a, m13, 0x4e0811a1, 21);
            a = I(a, b, c, d, m4, 0xf7537e82, 6); d = I(d, a, b, c, m11, 0xbd3af235, 10); c = I(c, d, a, b, m2, 0x2ad7d2bb, 15); b = I(b, c, d, a, m9, 0xeb86d391, 21);

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
    private static Vector256<uint> F(Vector256<uint> a, Vector256<uint> b, Vector256<uint> c, Vector256<uint> d, Vector256<uint> m, uint k, [ConstantExpected] byte s) =>
        Step(a, b, Vector256.ConditionalSelect(b, c, d), m, k, s);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> G(Vector256<uint> a, Vector256<uint> b, Vector256<uint> c, Vector256<uint> d, Vector256<uint> m, uint k, [ConstantExpected] byte s) =>
        Step(a, b, Vector256.ConditionalSelect(d, b, c), m, k, s);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> H(Vector256<uint> a, Vector256<uint> b, Vector256<uint> c, Vector256<uint> d, Vector256<uint> m, uint k, [ConstantExpected] byte s) =>
        Step(a, b, Avx512F.VL.IsSupported ? Avx512F.VL.TernaryLogic(b, c, d, 0x96) : b ^ c ^ d, m, k, s);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> I(Vector256<uint> a, Vector256<uint> b, Vector256<uint> c, Vector256<uint> d, Vector256<uint> m, uint k, [ConstantExpected] byte s) =>
        Step(a, b, Avx512F.VL.IsSupported ? Avx512F.VL.TernaryLogic(b, c, d, 0x39) : c ^ (b | ~d), m, k, s);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Step(Vector256<uint> a, Vector256<uint> b, Vector256<uint> f, Vector256<uint> m, uint k, [ConstantExpected] byte s) =>
        b + RotateLeft(a + f + m + Vector256.Create(k), s);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> RotateLeft(Vector256<uint> x, [ConstantExpected] byte s) =>
        Avx512F.VL.IsSupported ? Avx512F.VL.RotateLeft(x, s) : Vector256.ShiftLeft(x, s) | Vector256.ShiftRightLogical(x, 32 - s);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<uint> Gather(uint* words, Vector256<int> offsets, int index) =>
        Avx2.GatherVector256(words + index, offsets, 4);
}
