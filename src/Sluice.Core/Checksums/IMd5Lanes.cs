using System.Diagnostics.CodeAnalysis;

namespace Sluice.Core.Checksums;

/// <summary>
/// A group of MD5 lanes, one message per 32-bit lane, as <see cref="Md5Lanes.Blocks"/> runs them:
/// eight in one AVX2 register (<see cref="Md5Lanes8"/>), or sixteen in two (<see cref="Md5Lanes16"/>).
/// </summary>
internal unsafe interface IMd5Lanes<TSelf>
    where TSelf : unmanaged, IMd5Lanes<TSelf>
{
    /// <summary>How many messages the group holds.</summary>
    static abstract int Count { get; }

    static abstract TSelf Broadcast(uint value);

    static abstract TSelf operator +(TSelf x, TSelf y);

    /// <summary>The bits of <paramref name="y"/> where <paramref name="mask"/>'s are set, of <paramref name="z"/> elsewhere (MD5's F and G).</summary>
    static abstract TSelf Select(TSelf mask, TSelf y, TSelf z);

    /// <summary><c>x ^ y ^ z</c> (MD5's H).</summary>
    static abstract TSelf Xor3(TSelf x, TSelf y, TSelf z);

    /// <summary><c>y ^ (x | ~z)</c> (MD5's I).</summary>
    static abstract TSelf OrNotXor(TSelf x, TSelf y, TSelf z);

    static abstract TSelf RotateLeft(TSelf x, [ConstantExpected] byte s);

    /// <summary>
    /// Words <paramref name="first"/> to <paramref name="first"/> + 7 of every lane (lane j's
    /// message at <c>lanes[j]</c>) into m[0] to m[7], word i of every lane in m[i].
    /// </summary>
    static abstract void Load(uint** lanes, int first, TSelf* m);

    /// <summary>Lane <paramref name="j"/>'s value.</summary>
    uint Lane(int j);
}
