using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Sluice.Core.Checksums;

/// <summary>
/// MD5's block function (RFC 1321, section 3.4) on eight messages at once, one per 32-bit lane of
/// an AVX2 register: lane j reads its message's words at <c>words + offsets[j]</c> (x86 is
/// little-endian, as MD5's words are), loaded eight lanes at a time and transposed in registers
/// (or, for the benchmark's before/after, gathered). Where AVX-512VL is present, its rotate and three-input
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
    public static unsafe void Blocks(ref Vector256<uint> a0, ref Vector256<uint> b0, ref Vector256<uint> c0, ref Vector256<uint> d0, uint* words, Vector256<int> offsets, int blocks, bool gather = false)
    {
        Vector256<uint> a = a0, b = b0, c = c0, d = d0;
        Vector256<uint>* m = stackalloc Vector256<uint>[16];
        uint** lanes = stackalloc uint*[8];
        for (int j = 0; j < 8; j++)
        {
            lanes[j] = words + offsets.GetElement(j);
        }

        for (int block = 0; block < blocks; block++, words += 16)
        {
            if (gather)
            {
                for (int i = 0; i < 16; i++)
                {
                    m[i] = Gather(words, offsets, i);
                }
            }
            else
            {
                Transpose(lanes, block * 16, m);
                Transpose(lanes, (block * 16) + 8, m + 8);
            }

            Vector256<uint> aa = a, bb = b, cc = c, dd = d;

            a = F(a, b, c, d, m[0], 0xd76aa478, 7); d = F(d, a, b, c, m[1], 0xe8c7b756, 12); c = F(c, d, a, b, m[2], 0x242070db, 17); b = F(b, c, d, a, m[3], 0xc1bdceee, 22);
            a = F(a, b, c, d, m[4], 0xf57c0faf, 7); d = F(d, a, b, c, m[5], 0x4787c62a, 12); c = F(c, d, a, b, m[6], 0xa8304613, 17); b = F(b, c, d, a, m[7], 0xfd469501, 22);
            a = F(a, b, c, d, m[8], 0x698098d8, 7); d = F(d, a, b, c, m[9], 0x8b44f7af, 12); c = F(c, d, a, b, m[10], 0xffff5bb1, 17); b = F(b, c, d, a, m[11], 0x895cd7be, 22);
            a = F(a, b, c, d, m[12], 0x6b901122, 7); d = F(d, a, b, c, m[13], 0xfd987193, 12); c = F(c, d, a, b, m[14], 0xa679438e, 17); b = F(b, c, d, a, m[15], 0x49b40821, 22);

            a = G(a, b, c, d, m[1], 0xf61e2562, 5); d = G(d, a, b, c, m[6], 0xc040b340, 9); c = G(c, d, a, b, m[11], 0x265e5a51, 14); b = G(b, c, d, a, m[0], 0xe9b6c7aa, 20);
            a = G(a, b, c, d, m[5], 0xd62f105d, 5); d = G(d, a, b, c, m[10], 0x02441453, 9); c = G(c, d, a, b, m[15], 0xd8a1e681, 14); b = G(b, c, d, a, m[4], 0xe7d3fbc8, 20);
            a = G(a, b, c, d, m[9], 0x21e1cde6, 5); d = G(d, a, b, c, m[14], 0xc33707d6, 9); c = G(c, d, a, b, m[3], 0xf4d50d87, 14); b = G(b, c, d, a, m[8], 0x455a14ed, 20);
            a = G(a, b, c, d, m[13], 0xa9e3e905, 5); d = G(d, a, b, c, m[2], 0xfcefa3f8, 9); c = G(c, d, a, b, m[7], 0x676f02d9, 14); b = G(b, c, d, a, m[12], 0x8d2a4c8a, 20);

            a = H(a, b, c, d, m[5], 0xfffa3942, 4); d = H(d, a, b, c, m[8], 0x8771f681, 11); c = H(c, d, a, b, m[11], 0x6d9d6122, 16); b = H(b, c, d, a, m[14], 0xfde5380c, 23);
            a = H(a, b, c, d, m[1], 0xa4beea44, 4); d = H(d, a, b, c, m[4], 0x4bdecfa9, 11); c = H(c, d, a, b, m[7], 0xf6bb4b60, 16); b = H(b, c, d, a, m[10], 0xbebfbc70, 23);
            a = H(a, b, c, d, m[13], 0x289b7ec6, 4); d = H(d, a, b, c, m[0], 0xeaa127fa, 11); c = H(c, d, a, b, m[3], 0xd4ef3085, 16); b = H(b, c, d, a, m[6], 0x04881d05, 23);
            a = H(a, b, c, d, m[9], 0xd9d4d039, 4); d = H(d, a, b, c, m[12], 0xe6db99e5, 11); c = H(c, d, a, b, m[15], 0x1fa27cf8, 16); b = H(b, c, d, a, m[2], 0xc4ac5665, 23);

            a = I(a, b, c, d, m[0], 0xf4292244, 6); d = I(d, a, b, c, m[7], 0x432aff97, 10); c = I(c, d, a, b, m[14], 0xab9423a7, 15); b = I(b, c, d, a, m[5], 0xfc93a039, 21);
            a = I(a, b, c, d, m[12], 0x655b59c3, 6); d = I(d, a, b, c, m[3], 0x8f0ccc92, 10); c = I(c, d, a, b, m[10], 0xffeff47d, 15); b = I(b, c, d, a, m[1], 0x85845dd1, 21);
            a = I(a, b, c, d, m[8], 0x6fa87e4f, 6); d = I(d, a, b, c, m[15], 0xfe2ce6e0, 10); c = I(c, d, a, b, m[6], 0xa3014314, 15); b = I(b, c, d, a, m[13], 0x4e0811a1, 21);
            a = I(a, b, c, d, m[4], 0xf7537e82, 6); d = I(d, a, b, c, m[11], 0xbd3af235, 10); c = I(c, d, a, b, m[2], 0x2ad7d2bb, 15); b = I(b, c, d, a, m[9], 0xeb86d391, 21);

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

    /// <summary>
    /// Words <paramref name="first"/> to <paramref name="first"/> + 7 of the eight lanes into
    /// <paramref name="m"/>, word i of every lane in m[i]: eight loads and an 8×8 transpose in
    /// registers, cheaper than eight gathers (an AMD core retires a 256-bit gather in about as many
    /// cycles as it has elements; bench/Sluice.Benchmarks, PartMd5Benchmarks).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Transpose(uint** lanes, int first, Vector256<uint>* m)
    {
        Vector256<uint> r0 = Vector256.Load(lanes[0] + first), r1 = Vector256.Load(lanes[1] + first);
        Vector256<uint> r2 = Vector256.Load(lanes[2] + first), r3 = Vector256.Load(lanes[3] + first);
        Vector256<uint> r4 = Vector256.Load(lanes[4] + first), r5 = Vector256.Load(lanes[5] + first);
        Vector256<uint> r6 = Vector256.Load(lanes[6] + first), r7 = Vector256.Load(lanes[7] + first);

        // Pairs of lanes interleaved word by word, then pairs of pairs, within each 128-bit half...
        Vector256<ulong> t0 = Avx2.UnpackLow(r0, r1).AsUInt64(), t1 = Avx2.UnpackHigh(r0, r1).AsUInt64();
        Vector256<ulong> t2 = Avx2.UnpackLow(r2, r3).AsUInt64(), t3 = Avx2.UnpackHigh(r2, r3).AsUInt64();
        Vector256<ulong> t4 = Avx2.UnpackLow(r4, r5).AsUInt64(), t5 = Avx2.UnpackHigh(r4, r5).AsUInt64();
        Vector256<ulong> t6 = Avx2.UnpackLow(r6, r7).AsUInt64(), t7 = Avx2.UnpackHigh(r6, r7).AsUInt64();
        Vector256<uint> u0 = Avx2.UnpackLow(t0, t2).AsUInt32(), u1 = Avx2.UnpackHigh(t0, t2).AsUInt32();
        Vector256<uint> u2 = Avx2.UnpackLow(t1, t3).AsUInt32(), u3 = Avx2.UnpackHigh(t1, t3).AsUInt32();
        Vector256<uint> u4 = Avx2.UnpackLow(t4, t6).AsUInt32(), u5 = Avx2.UnpackHigh(t4, t6).AsUInt32();
        Vector256<uint> u6 = Avx2.UnpackLow(t5, t7).AsUInt32(), u7 = Avx2.UnpackHigh(t5, t7).AsUInt32();

        // ...then the halves of lanes 0-3 and 4-7 joined: words 0-3 from the low halves, 4-7 from the high.
        m[0] = Avx2.Permute2x128(u0, u4, 0x20);
        m[1] = Avx2.Permute2x128(u1, u5, 0x20);
        m[2] = Avx2.Permute2x128(u2, u6, 0x20);
        m[3] = Avx2.Permute2x128(u3, u7, 0x20);
        m[4] = Avx2.Permute2x128(u0, u4, 0x31);
        m[5] = Avx2.Permute2x128(u1, u5, 0x31);
        m[6] = Avx2.Permute2x128(u2, u6, 0x31);
        m[7] = Avx2.Permute2x128(u3, u7, 0x31);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<uint> Gather(uint* words, Vector256<int> offsets, int index) =>
        Avx2.GatherVector256(words + index, offsets, 4);
}
