using System.Security.Cryptography;
using Sluice.Core.Checksums;

namespace Sluice.Tests.Checksums;

/// <summary>Differential: every digest ParallelMd5 gives must be the one .NET's own MD5 gives for the same bytes.</summary>
public sealed class ParallelMd5Tests : IDisposable
{
    private const int FileBytes = 8 * 1024 * 1024;
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"sluice-md5-{Guid.NewGuid():N}.bin");
    private readonly byte[] _content = RandomNumberGenerator.GetBytes(FileBytes);

    public ParallelMd5Tests() => File.WriteAllBytes(_path, _content);

    public void Dispose() => File.Delete(_path);

    /// <summary>One lane; and, with AVX2, groups of at most eight lanes, and of sixteen (eight or fewer ranges still go in a group of eight).</summary>
    public static TheoryData<int> Widths() =>
        ParallelMd5.Width > 1 ? new() { 1, 8, ParallelMd5.Width } : new() { 1 };

    // Lengths around the padding's edges (55/56 bytes fit one final block, 56..63 need two), whole
    // blocks, and lengths that span the 64 and 128 KiB rounds in which each range is read.
    [Theory]
    [MemberData(nameof(Widths))]
    public void Equal_length_ranges_hash_as_the_platform_MD5_does(int width)
    {
        int[] lengths = [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 1000, 131_072, 131_072 + 55, 262_144 + 64, 1_048_576 + 3];
        var random = new Random(7);
        foreach (int length in lengths)
        {
            foreach (int count in new[] { 1, 2, 7, 8, 9, 15, 16, 17, 33 })
            {
                var ranges = Enumerable.Range(0, count).Select(_ => ((long)random.Next(0, FileBytes - length), (long)length)).ToArray();

                AssertDigests(ranges, width);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Ranges_of_mixed_lengths_keep_their_order(int width)
    {
        // As a multipart object's parts: equal parts and a shorter last one, given out of order.
        const long part = 1_048_576;
        var ranges = Enumerable.Range(0, 7).Select(i => (i * part, Math.Min(part, FileBytes - 100 - i * part))).Reverse().ToList();
        ranges.AddRange(Enumerable.Range(0, 12).Select(i => (i * 4096L, part))); // with the seven above, a group of sixteen and three more
        ranges.Insert(3, (5, 0));
        ranges.Add((FileBytes - 100, 100));

        AssertDigests([.. ranges], width);
    }

    [Fact]
    public void A_range_past_the_end_of_the_file_is_an_error_not_a_digest()
    {
        using var file = File.OpenHandle(_path);
        var ranges = Enumerable.Range(0, 8).Select(i => ((long)i * 1000, 1000L)).Append((FileBytes - 10, 20L)).ToArray();

        Assert.Throws<EndOfStreamException>(() => ParallelMd5.HashRanges(file, ranges, new byte[ranges.Length * 16]));
    }

    [Fact]
    public void A_cancelled_hash_stops()
    {
        using var file = File.OpenHandle(_path);
        var ranges = Enumerable.Range(0, 8).Select(i => ((long)i * 1_000_000, 1_000_000L)).ToArray();

        Assert.ThrowsAny<OperationCanceledException>(() => ParallelMd5.HashRanges(file, ranges, new byte[ranges.Length * 16], new CancellationToken(canceled: true)));
    }

    private void AssertDigests((long Offset, long Length)[] ranges, int width)
    {
        byte[] digests = new byte[ranges.Length * 16];
        using (var file = File.OpenHandle(_path))
        {
            ParallelMd5.HashRanges(file, ranges, digests, width, CancellationToken.None);
        }

        for (int i = 0; i < ranges.Length; i++)
        {
            byte[] expected = MD5.HashData(_content.AsSpan((int)ranges[i].Offset, (int)ranges[i].Length));
            Assert.True(expected.AsSpan().SequenceEqual(digests.AsSpan(i * 16, 16)),
                $"range {i} ({ranges[i].Offset}, {ranges[i].Length}) with width {width}: {Convert.ToHexStringLower(digests.AsSpan(i * 16, 16))}, expected {Convert.ToHexStringLower(expected)}");
        }
    }
}
