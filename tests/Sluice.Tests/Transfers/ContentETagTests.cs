using System.Security.Cryptography;
using Sluice.Core.Transfers;

namespace Sluice.Tests.Transfers;

public sealed class ContentETagTests : IDisposable
{
    private const long MiB = 1024 * 1024;
    private readonly string _directory = Directory.CreateTempSubdirectory("sluice-etag-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_single_part_ETag_is_the_MD5_of_the_content()
    {
        string file = Write("a.txt", "hello"u8.ToArray());

        Assert.True(await ContentETag.MatchesAsync(file, 5, "\"5d41402abc4b2a76b9719d911017c592\"", new TransferOptions(), default));
        Assert.False(await ContentETag.MatchesAsync(file, 5, "\"00000000000000000000000000000000\"", new TransferOptions(), default));
        Assert.True(await ContentETag.MatchesAsync(Write("empty", []), 0, "d41d8cd98f00b204e9800998ecf8427e", new TransferOptions(), default));
    }

    [Fact]
    public async Task A_multipart_ETag_is_the_MD5_of_the_part_MD5s_and_the_part_count()
    {
        byte[] content = RandomNumberGenerator.GetBytes((int)(11 * MiB));
        string file = Write("big.bin", content);
        byte[] parts = [.. MD5.HashData(content.AsSpan(0, (int)(5 * MiB))), .. MD5.HashData(content.AsSpan((int)(5 * MiB), (int)(5 * MiB))), .. MD5.HashData(content.AsSpan((int)(10 * MiB)))];
        string expected = Convert.ToHexStringLower(MD5.HashData(parts)) + "-3";

        Assert.Equal(expected, await ContentETag.MultipartAsync(file, content.Length, 5 * MiB, default));
        // Ours is 16 MiB (1 part), but 3 parts of 5 MiB is how rclone would have sent it: recognised too.
        Assert.True(await ContentETag.MatchesAsync(file, content.Length, $"\"{expected}\"", new TransferOptions(), default));
        Assert.False(await ContentETag.MatchesAsync(file, content.Length, expected[..^1] + "2", new TransferOptions(), default));
    }

    [Theory]
    [InlineData("5d41402abc4b2a76b9719d911017c592-3", 3)]
    [InlineData("5d41402abc4b2a76b9719d911017c592-10000", 10000)]
    [InlineData("5d41402abc4b2a76b9719d911017c592", null)]
    [InlineData("5d41402abc4b2a76b9719d911017c592-x", null)]
    [InlineData("kms-encrypted-opaque-etag", null)]
    public void Part_counts_are_read_from_multipart_ETags(string etag, int? parts) =>
        Assert.Equal(parts, ContentETag.PartCount(etag));

    [Fact]
    public void Candidate_part_sizes_put_ours_first_and_fit_the_part_count()
    {
        var options = new TransferOptions { PartSize = 16 * MiB };

        Assert.Equal([16 * MiB], ContentETag.CandidatePartSizes(100 * MiB, 7, options).Take(1));
        Assert.All(ContentETag.CandidatePartSizes(100 * MiB, 13, options), p => Assert.Equal(13, new PartLayout(100 * MiB, p).Count));
        Assert.Contains(8 * MiB, ContentETag.CandidatePartSizes(100 * MiB, 13, options));
        Assert.Empty(ContentETag.CandidatePartSizes(100 * MiB, 1000, options));
    }

    [Fact]
    public void Part_sizes_grow_to_stay_within_ten_thousand_parts()
    {
        var options = new TransferOptions { PartSize = 5 * MiB };

        Assert.Equal(5 * MiB, options.PartSizeFor(50_000 * MiB));
        long grown = options.PartSizeFor(100_000 * MiB);
        Assert.Equal(10 * MiB, grown);
        Assert.True(new PartLayout(100_000 * MiB, grown).Count <= 10_000);
        Assert.Equal(0, options.PartSizeFor(1_000_001 * MiB) % MiB);
    }

    [Theory]
    [InlineData("16MiB", 16 * MiB)]
    [InlineData("16m", 16 * MiB)]
    [InlineData("1GiB", 1024 * MiB)]
    [InlineData("8388608", 8 * MiB)]
    [InlineData("64 KiB", 64 * 1024)]
    public void Sizes_parse_with_binary_units(string text, long bytes)
    {
        Assert.True(Sizes.TryParse(text, out long parsed));
        Assert.Equal(bytes, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("MiB")]
    [InlineData("-5MiB")]
    [InlineData("5 parsecs")]
    [InlineData("99999999999999999999")]
    public void Sizes_that_are_not_sizes_are_refused(string text) => Assert.False(Sizes.TryParse(text, out _));

    [Theory]
    [InlineData(4 * MiB, 16, "the part size must be from 5 MiB to 5 GiB")]
    [InlineData(16 * MiB, 0, "the concurrency must be from 1 to 128")]
    [InlineData(16 * MiB, 129, "the concurrency must be from 1 to 128")]
    public void Transfer_options_stay_within_S3_limits(long partSize, int concurrency, string expected) =>
        Assert.StartsWith(expected, new TransferOptions { PartSize = partSize, Concurrency = concurrency }.Problem());

    [Theory]
    [InlineData(0)]
    [InlineData(129)]
    public void Streams_per_file_stay_within_the_concurrency_limit(int streams)
    {
        Assert.Null(new TransferOptions().Problem());
        Assert.Equal($"the streams per file must be from 1 to 128 (got {streams})", new TransferOptions { StreamsPerFile = streams }.Problem());
    }

    private string Write(string name, byte[] content)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, content);
        return path;
    }
}
