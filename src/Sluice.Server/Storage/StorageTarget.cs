using System.Text;

namespace Sluice.Server.Storage;

/// <summary>
/// Account, bucket and object key of a <c>/aws/storage/{account}/{bucket}[/{key}]</c> request,
/// taken from the raw request target. Kestrel's own path has had <c>..</c> segments resolved
/// and would turn the key <c>a/../b</c> into <c>b</c>; S3 keys are never normalised, so we
/// percent-decode the raw bytes ourselves, once.
/// </summary>
public readonly record struct StorageTarget(string Account, string Bucket, string? Key)
{
    public const string Prefix = "/aws/storage/";

    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    /// <summary>The path part of a raw request target (origin form or absolute form), without its query.</summary>
    public static string RawPath(string rawTarget)
    {
        string path = rawTarget;
        if (!path.StartsWith('/') && Uri.TryCreate(path, UriKind.Absolute, out var absolute))
        {
            int authorityEnd = path.IndexOf('/', absolute.Scheme.Length + 3);
            path = authorityEnd < 0 ? "/" : path[authorityEnd..];
        }

        int query = path.IndexOf('?');
        return query < 0 ? path : path[..query];
    }

    /// <summary>Null with <paramref name="problem"/> set when the path cannot be decoded.</summary>
    public static StorageTarget? Parse(string rawPath, out string? problem)
    {
        problem = null;
        if (!rawPath.StartsWith(Prefix, StringComparison.Ordinal))
        {
            problem = "path must start with /aws/storage/";
            return null;
        }

        string rest = rawPath[Prefix.Length..];
        int accountEnd = rest.IndexOf('/');
        if (accountEnd < 0)
        {
            problem = "path must name an account and a bucket";
            return null;
        }

        int bucketEnd = rest.IndexOf('/', accountEnd + 1);
        string accountRaw = rest[..accountEnd];
        string bucketRaw = bucketEnd < 0 ? rest[(accountEnd + 1)..] : rest[(accountEnd + 1)..bucketEnd];
        string? keyRaw = bucketEnd < 0 ? null : rest[(bucketEnd + 1)..];

        string? account = Decode(accountRaw);
        string? bucket = Decode(bucketRaw);
        string? key = keyRaw is null ? null : Decode(keyRaw);
        if (account is null || bucket is null || (keyRaw is not null && key is null))
        {
            problem = "path has a malformed percent-encoding or bytes that are not UTF-8";
            return null;
        }

        return new StorageTarget(account, bucket, key);
    }

    /// <summary>Percent-decodes to UTF-8 exactly once; '+' stays '+' (it is not a space in a path).</summary>
    internal static string? Decode(string raw)
    {
        if (!raw.Contains('%'))
        {
            return raw;
        }

        var bytes = new byte[Encoding.UTF8.GetMaxByteCount(raw.Length)];
        int n = 0;
        for (int i = 0; i < raw.Length; i++)
        {
            char ch = raw[i];
            if (ch == '%')
            {
                if (i + 2 >= raw.Length || !Uri.IsHexDigit(raw[i + 1]) || !Uri.IsHexDigit(raw[i + 2]))
                {
                    return null;
                }

                bytes[n++] = (byte)((HexValue(raw[i + 1]) << 4) | HexValue(raw[i + 2]));
                i += 2;
            }
            else
            {
                n += Encoding.UTF8.GetBytes(raw.AsSpan(i, 1), bytes.AsSpan(n));
            }
        }

        try
        {
            return StrictUtf8.GetString(bytes, 0, n);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static int HexValue(char hex) => hex <= '9' ? hex - '0' : (hex | 0x20) - 'a' + 10;
}
