using System.Buffers;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Sluice.Core.Providers;

namespace Sluice.Core.Signing;

/// <summary>
/// AWS Signature Version 4 in query-string form for S3 object URLs: <c>UNSIGNED-PAYLOAD</c>,
/// signed header <c>host</c> (and <c>content-length</c>/<c>content-type</c> when a PUT is
/// constrained to them). The canonical request is written once as UTF-8 bytes; its path and
/// query are then reused verbatim for the URL, so the only allocation is the URL string.
/// </summary>
public sealed class SigV4Presigner
{
    private const int StackLimit = 2048;

    // Hashers are reused per thread: creating an OpenSSL context per URL costs more than the hashing.
    [ThreadStatic] private static IncrementalHash? t_sha256;
    [ThreadStatic] private static IncrementalHash? t_hmac;
    [ThreadStatic] private static byte[]? t_hmacKey;

    private readonly TimeProvider _time;
    private readonly SigningKeyCache _keys = new();

    public SigV4Presigner(TimeProvider time) => _time = time;

    /// <summary>Signs at the current time of the injected <see cref="TimeProvider"/>.</summary>
    public string Presign(in PresignRequest request) => Presign(request, _time.GetUtcNow());

    public string Presign(in PresignRequest request, DateTimeOffset signingTime)
    {
        if ((uint)(request.ExpiresInSeconds - 1) >= PresignRequest.MaxExpiresInSeconds)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.ExpiresInSeconds, "X-Amz-Expires must be 1..604800.");
        }

        if (request.UploadId is not null || request.PartNumber is not null || request.ContentType is not null || request.ContentLength is not null)
        {
            PresignConstraints.Validate(request);
        }

        DateTime utc = signingTime.UtcDateTime;
        SigningCredentials credentials = request.Credentials;
        string method = request.Method.ToHttpMethod();

        // Upper bound of the canonical request: every variable part may triple when encoded.
        int keyMax = Encoding.UTF8.GetMaxByteCount(request.Key.Length);
        int akMax = Encoding.UTF8.GetMaxByteCount(credentials.AccessKeyId.Length);
        int tokenMax = credentials.SessionToken is null ? 0 : Encoding.UTF8.GetMaxByteCount(credentials.SessionToken.Length);
        int regionMax = Encoding.UTF8.GetMaxByteCount(request.Region.Length);
        int uploadIdMax = request.UploadId is null ? 0 : Encoding.UTF8.GetMaxByteCount(request.UploadId.Length);
        int scratchLength = Math.Max(Math.Max(Math.Max(keyMax, akMax), Math.Max(tokenMax, regionMax)), uploadIdMax);
        int capacity = 256 + method.Length + request.PathPrefix.Length + (2 * request.Authority.Length)
            + (3 * (keyMax + akMax + tokenMax + regionMax + uploadIdMax))
            + (request.ContentType is null ? 0 : 48 + request.ContentType.Length)
            + (request.ContentLength is null ? 0 : 80)
            + (request.PartNumber is null ? 0 : 32);

        byte[]? rented = null;
        Span<byte> buffer = capacity + scratchLength <= StackLimit
            ? stackalloc byte[StackLimit]
            : (rented = ArrayPool<byte>.Shared.Rent(capacity + scratchLength));
        try
        {
            Span<byte> canonical = buffer[..capacity];
            Span<byte> scratch = buffer.Slice(capacity, scratchLength);
            return Sign(request, method, utc, canonical, scratch);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private string Sign(in PresignRequest request, string method, DateTime utc, Span<byte> c, Span<byte> scratch)
    {
        SigningCredentials credentials = request.Credentials;
        int w = Encoding.ASCII.GetBytes(method, c);
        c[w++] = (byte)'\n';

        int pathStart = w;
        w += Encoding.ASCII.GetBytes(request.PathPrefix, c[w..]);
        w += UriEncoding.Encode(request.Key, c[w..], scratch, keepSlash: true);
        int pathEnd = w;
        c[w++] = (byte)'\n';

        // The canonical query, already in sorted order, doubles as the URL's query.
        int queryStart = w;
        w += Append(c[w..], "X-Amz-Algorithm="u8);
        w += Append(c[w..], SigV4Format.Algorithm);
        w += Append(c[w..], "&X-Amz-Credential="u8);
        w += UriEncoding.Encode(credentials.AccessKeyId, c[w..], scratch, keepSlash: false);
        w += Append(c[w..], "%2F"u8);
        int dateAt = w;
        SigV4Format.WriteDigits(c[w..], SigV4Format.DateOf(utc), 8);
        w += 8;
        w += Append(c[w..], "%2F"u8);
        w += UriEncoding.Encode(request.Region, c[w..], scratch, keepSlash: false);
        w += Append(c[w..], "%2Fs3%2Faws4_request&X-Amz-Date="u8);
        int timestampAt = w;
        SigV4Format.WriteTimestamp(c[w..], utc);
        w += 16;
        w += Append(c[w..], "&X-Amz-Expires="u8);
        int digits = SigV4Format.DigitCount(request.ExpiresInSeconds);
        SigV4Format.WriteDigits(c[w..], request.ExpiresInSeconds, digits);
        w += digits;
        if (credentials.SessionToken is { } token)
        {
            w += Append(c[w..], "&X-Amz-Security-Token="u8);
            w += UriEncoding.Encode(token, c[w..], scratch, keepSlash: false);
        }

        // The plain URL's tail is written inline as before; a constrained PUT's out of line, so
        // that Sign stays small enough for the JIT to treat the common path as it did.
        bool constrained = request.UploadId is not null || request.ContentType is not null || request.ContentLength is not null;
        w += constrained ? WriteConstrainedQueryTail(request, c[w..], scratch) : Append(c[w..], "&X-Amz-SignedHeaders=host"u8);
        int queryEnd = w;
        if (constrained)
        {
            w += WriteConstrainedHeaders(request, c[w..]);
        }
        else
        {
            w += Append(c[w..], "\nhost:"u8);
            w += Encoding.ASCII.GetBytes(request.Authority, c[w..]);
            w += Append(c[w..], "\n\nhost\nUNSIGNED-PAYLOAD"u8);
        }

        Span<byte> hash = stackalloc byte[32];
        IncrementalHash sha = t_sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(c[..w]);
        sha.GetHashAndReset(hash);

        // String to sign: algorithm, timestamp, scope (date/region/s3/aws4_request), hashed request.
        Span<byte> sts = scratch.Length >= 256 ? scratch : stackalloc byte[256];
        int s = Append(sts, SigV4Format.Algorithm);
        sts[s++] = (byte)'\n';
        s += Append(sts[s..], c.Slice(timestampAt, 16));
        sts[s++] = (byte)'\n';
        s += Append(sts[s..], c.Slice(dateAt, 8));
        sts[s++] = (byte)'/';
        s += Encoding.UTF8.GetBytes(request.Region, sts[s..]);
        s += Append(sts[s..], SigV4Format.ScopeTail);
        sts[s++] = (byte)'\n';
        UriEncoding.WriteHexLower(hash, sts[s..]);
        s += 64;

        byte[] signingKey = _keys.Get(credentials.SecretAccessKey, SigV4Format.DateOf(utc), request.Region);
        IncrementalHash hmac = HmacFor(signingKey);
        hmac.AppendData(sts[..s]);
        hmac.GetHashAndReset(hash);

        return BuildUrl(request.Scheme, request.Authority, c[pathStart..pathEnd], c[queryStart..queryEnd], hash);
    }

    /// <summary>
    /// <c>&amp;X-Amz-SignedHeaders=</c> with the constrained headers, then the part: header names
    /// sort content-length &lt; content-type &lt; host (';' is %3B in a query), and the lower-case
    /// partNumber and uploadId sort after every X-Amz-* parameter.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int WriteConstrainedQueryTail(in PresignRequest request, Span<byte> c, Span<byte> scratch)
    {
        int w = Append(c, "&X-Amz-SignedHeaders="u8);
        if (request.ContentLength is not null)
        {
            w += Append(c[w..], "content-length%3B"u8);
        }

        if (request.ContentType is not null)
        {
            w += Append(c[w..], "content-type%3B"u8);
        }

        w += Append(c[w..], "host"u8);
        if (request.UploadId is { } uploadId)
        {
            w += Append(c[w..], "&partNumber="u8);
            int partNumber = request.PartNumber.GetValueOrDefault();
            int partDigits = SigV4Format.DigitCount(partNumber);
            SigV4Format.WriteDigits(c[w..], partNumber, partDigits);
            w += partDigits;
            w += Append(c[w..], "&uploadId="u8);
            w += UriEncoding.Encode(uploadId, c[w..], scratch, keepSlash: false);
        }

        return w;
    }

    /// <summary>The canonical headers and signed header list of a constrained PUT, through <c>UNSIGNED-PAYLOAD</c>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int WriteConstrainedHeaders(in PresignRequest request, Span<byte> c)
    {
        int w = 0;
        c[w++] = (byte)'\n';
        if (request.ContentLength is { } length)
        {
            w += Append(c[w..], "content-length:"u8);
            int lengthDigits = SigV4Format.DigitCount(length);
            SigV4Format.WriteDigits(c[w..], length, lengthDigits);
            w += lengthDigits;
            c[w++] = (byte)'\n';
        }

        if (request.ContentType is { } contentType)
        {
            w += Append(c[w..], "content-type:"u8);
            w += Encoding.ASCII.GetBytes(contentType, c[w..]);
            c[w++] = (byte)'\n';
        }

        w += Append(c[w..], "host:"u8);
        w += Encoding.ASCII.GetBytes(request.Authority, c[w..]);
        w += Append(c[w..], "\n\n"u8);
        if (request.ContentLength is not null)
        {
            w += Append(c[w..], "content-length;"u8);
        }

        if (request.ContentType is not null)
        {
            w += Append(c[w..], "content-type;"u8);
        }

        w += Append(c[w..], "host\nUNSIGNED-PAYLOAD"u8);
        return w;
    }

    private static string BuildUrl(string scheme, string authority, ReadOnlySpan<byte> path, ReadOnlySpan<byte> query, ReadOnlySpan<byte> signature)
    {
        var parts = new UrlParts(scheme, authority, path, query, signature);
        int length = scheme.Length + 3 + authority.Length + path.Length + 1 + query.Length + SignatureName.Length + 64;
        return string.Create(length, parts, static (url, p) =>
        {
            int w = 0;
            p.Scheme.CopyTo(url);
            w += p.Scheme.Length;
            "://".CopyTo(url[w..]);
            w += 3;
            p.Authority.CopyTo(url[w..]);
            w += p.Authority.Length;
            w += Widen(p.Path, url[w..]);
            url[w++] = '?';
            w += Widen(p.Query, url[w..]);
            w += Widen(SignatureName, url[w..]);
            ReadOnlySpan<char> hex = "0123456789abcdef";
            foreach (byte b in p.Signature)
            {
                url[w++] = hex[b >> 4];
                url[w++] = hex[b & 0xF];
            }
        });
    }

    private static ReadOnlySpan<byte> SignatureName => "&X-Amz-Signature="u8;

    private static int Widen(ReadOnlySpan<byte> ascii, Span<char> destination)
    {
        for (int i = 0; i < ascii.Length; i++)
        {
            destination[i] = (char)ascii[i];
        }

        return ascii.Length;
    }

    private static int Append(Span<byte> destination, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(destination);
        return bytes.Length;
    }

    private static IncrementalHash HmacFor(byte[] key)
    {
        if (!ReferenceEquals(t_hmacKey, key))
        {
            t_hmac?.Dispose();
            t_hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
            t_hmacKey = key;
        }

        return t_hmac!;
    }

    private readonly ref struct UrlParts(string scheme, string authority, ReadOnlySpan<byte> path, ReadOnlySpan<byte> query, ReadOnlySpan<byte> signature)
    {
        public string Scheme { get; } = scheme;

        public string Authority { get; } = authority;

        public ReadOnlySpan<byte> Path { get; } = path;

        public ReadOnlySpan<byte> Query { get; } = query;

        public ReadOnlySpan<byte> Signature { get; } = signature;
    }
}
