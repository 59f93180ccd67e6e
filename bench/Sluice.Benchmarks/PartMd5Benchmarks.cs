using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Microsoft.Win32.SafeHandles;
using Sluice.Core.Checksums;

namespace Sluice.Benchmarks;

/// <summary>
/// The part MD5s a multipart ETag check needs: 16 parts of 8 MiB of a file in the page cache,
/// hashed by ParallelMd5 against the platform's MD5 (the baseline, OpenSSL's on Linux) reading
/// the same parts in 512 KiB blocks, as the downloader did before. Time per 128 MiB.
/// </summary>
public class PartMd5Benchmarks
{
    private const long PartBytes = 8 * 1024 * 1024;
    private const int Parts = 16;

    private string _path = null!;
    private SafeFileHandle _file = null!;
    private (long Offset, long Length)[] _ranges = null!;
    private readonly byte[] _digests = new byte[Parts * 16];
    private readonly byte[] _buffer = new byte[512 * 1024];

    [GlobalSetup]
    public void Setup()
    {
        _path = Path.Combine(Path.GetTempPath(), $"sluice-bench-md5-{Environment.ProcessId}.bin");
        File.WriteAllBytes(_path, RandomNumberGenerator.GetBytes((int)(Parts * PartBytes)));
        _file = File.OpenHandle(_path);
        _ranges = Enumerable.Range(0, Parts).Select(i => (i * PartBytes, PartBytes)).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _file.Dispose();
        File.Delete(_path);
    }

    [Benchmark(Baseline = true)]
    public byte[] PlatformMd5()
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        for (int i = 0; i < Parts; i++)
        {
            for (long done = 0; done < PartBytes; done += _buffer.Length)
            {
                RandomAccess.Read(_file, _buffer, _ranges[i].Offset + done);
                md5.AppendData(_buffer);
            }

            md5.GetHashAndReset(_digests.AsSpan(i * 16, 16));
        }

        return _digests;
    }

    [Benchmark]
    public byte[] ParallelMd5Lanes()
    {
        ParallelMd5.HashRanges(_file, _ranges, _digests);
        return _digests;
    }

    /// <summary>Groups of eight lanes, one AVX2 register's dependency chain each: the way before the sixteen-lane groups.</summary>
    [Benchmark]
    public byte[] ParallelMd5EightLanes()
    {
        ParallelMd5.HashRanges(_file, _ranges, _digests, 8, CancellationToken.None);
        return _digests;
    }
}
