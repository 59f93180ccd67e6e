using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Sluice.Core.Checksums;

/// <summary>
/// Sixteen MD5 lanes in two AVX2 registers, stepped side by side. Each MD5 step waits on the one
/// before (about six cycles of latency for a dozen instructions), so one register's chain leaves
/// most of the core's vector units idle; two independent chains fill them (bench/Sluice.Benchmarks,
/// PartMd5Benchmarks). Its operations call <see cref="Md5Lanes8"/>'s on the registers directly:
/// every level of inlining counts against the JIT's budget for the block function.
/// </summary>
internal unsafe struct Md5Lanes16 : IMd5Lanes<Md5Lanes16>
{
    // Laid out as two consecutive registers: Load writes the low lanes' words and the high lanes' interleaved.
    public Vector256<uint> Low;
    public Vector256<uint> High;

    public static int Count => 16;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Md5Lanes16 Broadcast(uint value) => Of(Vector256.Create(value), Vector256.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Md5Lanes16 operator +(Md5Lanes16 x, Md5Lanes16 y) => Of(x.Low + y.Low, x.High + y.High);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Md5Lanes16 Select(Md5Lanes16 mask, Md5Lanes16 y, Md5Lanes16 z) =>
        Of(Vector256.ConditionalSelect(mask.Low, y.Low, z.Low), Vector256.ConditionalSelect(mask.High, y.High, z.High));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Md5Lanes16 Xor3(Md5Lanes16 x, Md5Lanes16 y, Md5Lanes16 z) =>
        Of(Md5Lanes8.Xor3(x.Low, y.Low, z.Low), Md5Lanes8.Xor3(x.High, y.High, z.High));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Md5Lanes16 OrNotXor(Md5Lanes16 x, Md5Lanes16 y, Md5Lanes16 z) =>
        Of(Md5Lanes8.OrNotXor(x.Low, y.Low, z.Low), Md5Lanes8.OrNotXor(x.High, y.High, z.High));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Md5Lanes16 RotateLeft(Md5Lanes16 x, [ConstantExpected] byte s) =>
        Of(Md5Lanes8.RotateLeft(x.Low, s), Md5Lanes8.RotateLeft(x.High, s));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Load(uint** lanes, int first, Md5Lanes16* m)
    {
        Md5Lanes8.Transpose(lanes, first, (Vector256<uint>*)m, 2);
        Md5Lanes8.Transpose(lanes + 8, first, (Vector256<uint>*)m + 1, 2);
    }

    public readonly uint Lane(int j) => j < 8 ? Low.GetElement(j) : High.GetElement(j - 8);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Md5Lanes16 Of(Vector256<uint> low, Vector256<uint> high)
    {
        Md5Lanes16 lanes;
        lanes.Low = low;
        lanes.High = high;
        return lanes;
    }
}
