using System.Security.Cryptography;
using System.Text;

namespace Sluice.IntegrationTests.Artifacts;

/// <summary>Test trees on disk, and byte-for-byte comparison of two of them.</summary>
public static class LocalTree
{
    public const int MiB = 1024 * 1024;

    /// <summary>Writes <paramref name="bytes"/> random bytes (1 MiB at a time: memory stays flat).</summary>
    public static void WriteRandom(string path, long bytes)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, MiB);
        byte[] buffer = new byte[MiB];
        for (long done = 0; done < bytes; done += buffer.Length)
        {
            RandomNumberGenerator.Fill(buffer);
            file.Write(buffer, 0, (int)Math.Min(buffer.Length, bytes - done));
        }
    }

    public static void WriteText(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text, new UTF8Encoding(false));
    }

    /// <summary>Every file under <paramref name="root"/>: relative path with '/' → size.</summary>
    public static SortedDictionary<string, long> Files(string root) =>
        new(Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .ToDictionary(f => Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/'), f => new FileInfo(f).Length), StringComparer.Ordinal);

    /// <summary>Asserts both trees hold the same paths with the same bytes.</summary>
    public static void AssertIdentical(string expectedRoot, string actualRoot)
    {
        var expected = Files(expectedRoot);
        var actual = Files(actualRoot);
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (relative, size) in expected)
        {
            Assert.Equal(size, actual[relative]);
            Assert.True(SameBytes(Path.Combine(expectedRoot, relative), Path.Combine(actualRoot, relative)), $"{relative} differs");
        }
    }

    private static bool SameBytes(string a, string b)
    {
        using var left = File.OpenRead(a);
        using var right = File.OpenRead(b);
        byte[] x = new byte[MiB], y = new byte[MiB];
        while (true)
        {
            int read = left.ReadAtLeast(x, x.Length, throwOnEndOfStream: false);
            int other = right.ReadAtLeast(y, y.Length, throwOnEndOfStream: false);
            if (read != other || !x.AsSpan(0, read).SequenceEqual(y.AsSpan(0, other)))
            {
                return false;
            }

            if (read == 0)
            {
                return true;
            }
        }
    }
}
