using System.Security.Cryptography;
using System.Text;

namespace Sluice.Core.Access;

/// <summary>
/// Token secrets: 256 random bits, shown once. They are stored as SHA-256 hashes (a slow hash
/// adds nothing for secrets with this much entropy), looked up by hash and compared in constant time.
/// </summary>
public static class TokenSecret
{
    public const string Prefix = "sluice_";

    public static string Generate() => Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string NewId() => "tok_" + Base64Url(RandomNumberGenerator.GetBytes(9));

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    public static bool Matches(string token, ReadOnlySpan<byte> storedHash)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(token), hash);
        return CryptographicOperations.FixedTimeEquals(hash, storedHash);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
