using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Sluice.Core.Signing;

/// <summary>
/// Derived SigV4 signing keys, one per (secret, date, region). Deriving one costs four
/// HMACs; a server signs thousands of URLs per key per day, so it is done once. The
/// cache is bounded: past <see cref="Capacity"/> entries it starts over.
/// </summary>
internal sealed class SigningKeyCache
{
    public const int Capacity = 4096;

    private readonly ConcurrentDictionary<Entry, byte[]> _keys = new();

    public byte[] Get(string secretAccessKey, int yyyymmdd, string region)
    {
        var entry = new Entry(secretAccessKey, yyyymmdd, region);
        if (_keys.TryGetValue(entry, out byte[]? key))
        {
            return key;
        }

        if (_keys.Count >= Capacity)
        {
            _keys.Clear();
        }

        return _keys.GetOrAdd(entry, static e => Derive(e.Secret, e.Date, e.Region));
    }

    internal static byte[] Derive(string secretAccessKey, int yyyymmdd, string region)
    {
        Span<byte> dateBytes = stackalloc byte[8];
        SigV4Format.WriteDigits(dateBytes, yyyymmdd, 8);

        byte[] secret = Encoding.UTF8.GetBytes("AWS4" + secretAccessKey);
        Span<byte> k = stackalloc byte[32];
        HMACSHA256.HashData(secret, dateBytes, k);
        CryptographicOperations.ZeroMemory(secret);
        HMACSHA256.HashData(k, Encoding.UTF8.GetBytes(region), k);
        HMACSHA256.HashData(k, "s3"u8, k);
        HMACSHA256.HashData(k, "aws4_request"u8, k);
        return k.ToArray();
    }

    private readonly record struct Entry(string Secret, int Date, string Region);
}
