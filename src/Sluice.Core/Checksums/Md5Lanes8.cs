using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Sluice.Core.Checksums;

/// <summary>
/// Eight MD5 lanes in one AVX2 register. Where AVX-512VL is present, its rotate and three-input
/// logic instructions stand in for two or three AVX2 ones each.
/// </summary>
internal readonly unsafe struct Md5Lanes8(Vector256<uint> value) : IMd5Lanes<Md5Lanes8>
{
    public readonly Vector256<uint> Value = value;

    public static int Count => 8;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Md5Lanes8 Broadcast(uint value) => new(Vector256.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Md5Lanes8 operator +(Md5Lanes8 x, Md5Lanes8 y) => new(x.Value + y.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Md5Lanes8 Select(Md5Lanes8 mask, Md5Lanes8 y, Md5Lanes8 z) => new(Vector256.ConditionalSelect(mask.Value, y.Value, z.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Md5Lanes8 Xor3(Md5Lanes8 x, Md5Lanes8 y, Md5Lanes8 z) => new(Xor3(x.Value, y.Value, z.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Md5Lanes8 OrNotXor(Md5Lanes8 x, Md5Lanes8 y, Md5Lanes8 z) => new(OrNotXor(x.Value, y.Value, z.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Md5Lanes8 RotateLeft(Md5Lanes8 x, [ConstantExpected] byte s) => new(RotateLeft(x.Value, s));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> Xor3(Vector256<uint> x, Vector256<uint> y, Vector256<uint> z) =>
        Avx512F.VL.IsSupported ? Avx512F.VL.TernaryLogic(x, y, z, 0x96) : x ^ y ^ z;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> OrNotXor(Vector256<uint> x, Vector256<uint> y, Vector256<uint> z) =>
        Avx512F.VL.IsSupported ? Avx512F.VL.TernaryLogic(x, y, z, 0x39) : y ^ (x | ~z);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> RotateLeft(Vector256<uint> x, [ConstantExpected] byte s) =>
        Avx512F.VL.IsSupported ? Avx512F.VL.RotateLeft(x, s) : Vector256.ShiftLeft(x, s) | Vector256.ShiftRightLogical(x, 32 - s);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Load(uint** lanes, int first, Md5Lanes8* m) => Transpose(lanes, first, (Vector256<uint>*)m, 1);

    public uint Lane(int j) => Value.GetElement(j);

    /// <summary>
    /// Words <paramref name="first"/> to <paramref name="first"/> + 7 of eight lanes into
    /// <c>m[0]</c>, <c>m[stride]</c>, … <c>m[7 * stride]</c>, word i of every lane in the i-th:
    /// eight loads and an 8×8 transpose in registers, cheaper than eight gathers (an AMD core
    /// retires a 256-bit gather in about as many cycles as it has elements).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Transpose(uint** lanes, int first, Vector256<uint>* m, int stride)
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
        m[stride] = Avx2.Permute2x128(u1, u5, 0x20);
        m[2 * stride] = Avx2.Permute2x128(u2, u6, 0x20);
        m[3 * stride] = Avx2.Permute2x128(u3, u7, 0x20);
        m[4 * stride] = Avx2.Permute2x128(u0, u4, 0x31);
        m[5 * stride] = Avx2.Permute2x128(u1, u5, 0x31);
        m[6 * stride] = Avx2.Permute2x128(u2, u6, 0x31);
        m[7 * stride] = Avx2.Permute2x128(u3, u7, 0x31);
    }
}
