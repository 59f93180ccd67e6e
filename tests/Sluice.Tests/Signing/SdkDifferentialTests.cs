using CsCheck;
using Sluice.Core.Addressing;
using Sluice.Core.Signing;
using Sluice.Tests.Reference;
using Sluice.Core.Providers;
using Sluice.Core.Providers.S3;

namespace Sluice.Tests.Signing;

/// <summary>
/// Our presigner against AWSSDK.S3's <c>GetPreSignedURL</c> over generated inputs: every
/// URL must have the same scheme, host, path and query parameters (and so the same
/// signature). CsCheck shrinks a failure to a small key.
/// </summary>
public sealed class SdkDifferentialTests
{
    private static readonly Gen<string> KeyPiece = Gen.Frequency(
        (12, Gen.Char['a', 'z'].Select(c => c.ToString())),
        (3, Gen.Char['A', 'Z'].Select(c => c.ToString())),
        (3, Gen.Char['0', '9'].Select(c => c.ToString())),
        (6, Gen.OneOf("/", "//", "..", "./", "/../", ".", "-", "_", "~")),
        (6, Gen.OneOf(" ", "+", "%", "%20", "%2F", "(", ")", "[", "]", "'", "!", "*", "&", "=", "?", "#", ":", "@", ",", ";", "$", "{", "}", "^", "`", "|", "\\", "\"", "<", ">")),
        (4, Gen.OneOf("é", "ß", "中文", "😀", "Ω", "\u00A0", "\u200B", "ñ", "日本語", "\uFEFF")),
        (1, Gen.Char['\u0020', '\uD7FF'].Where(c => !char.IsControl(c)).Select(c => c.ToString())));

    private static readonly Gen<string> ShortKey = KeyPiece.Array[1, 40].Select(string.Concat);

    // Keys at the 1024-byte limit: a short key repeated until it would pass the limit.
    private static readonly Gen<string> LongKey = ShortKey.Select(k =>
    {
        var sb = new System.Text.StringBuilder();
        while (System.Text.Encoding.UTF8.GetByteCount(sb + k) <= ObjectKey.MaxBytes)
        {
            sb.Append(k);
        }

        return sb.Length == 0 ? "k" : sb.ToString();
    });

    // The SDK drops a leading '/' from keys (it would address "x" for the key "/x"); S3 does
    // not, and neither do we. Those keys are proven on the RADOS Gateway instead.
    private static readonly Gen<string> Key = Gen.Frequency((20, ShortKey), (1, LongKey)).Where(k => k[0] != '/');

    private static readonly Gen<string> Bucket = Gen.Frequency(
        (3, Gen.OneOf("examplebucket", "my.dotted.bucket", "a-b-c", "bucket123", "logs.2024", "abc")),
        (2, Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789"].Array[3, 40].Select(a => new string(a))));

    private static readonly Gen<string> Region = Gen.OneOf(
        "us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2", "sa-east-1", "ca-central-1", "cn-north-1");

    private static readonly Gen<EndpointHost?> Host = Gen.Frequency(
        (2, Gen.Const((EndpointHost?)null)),
        (3, Gen.OneOf("127.0.0.1:7480", "localhost:9000", "minio.internal", "s3.example.com:8443", "storage.example.com:443", "ceph.local:80", "garage.example.org:3900", "10.0.0.5:9000")
            .Select(h => { EndpointHost.TryParse(h, out var parsed, out _); return (EndpointHost?)parsed; })));

    private static readonly Gen<SigningCredentials> Credentials = Gen.Select(
        Gen.Char["ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"].Array[16, 20].Select(a => "AKIA" + new string(a)),
        Gen.Char["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+"].Array[40].Select(a => new string(a)),
        Gen.Frequency(
            (2, Gen.Const((string?)null)),
            (1, Gen.Char["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+="].Array[16, 900].Select(a => (string?)new string(a)))),
        (ak, sk, token) => new SigningCredentials(ak, sk, token));

    private static readonly Gen<int> Expires = Gen.Frequency(
        (1, Gen.OneOf(1, 2, 59, 3600, 86400, 604799, 604800)),
        (3, Gen.Int[1, PresignRequest.MaxExpiresInSeconds]));

    private static readonly Gen<DateTime> SigningTime =
        Gen.Long[new DateTime(2015, 1, 1).Ticks / TimeSpan.TicksPerSecond, new DateTime(2035, 12, 31).Ticks / TimeSpan.TicksPerSecond]
            .Select(s => new DateTime(s * TimeSpan.TicksPerSecond, DateTimeKind.Utc));

    private static readonly Gen<Case> Cases = Gen.Select(
        Gen.Select(Region, Host, Gen.Bool, Gen.Bool, (region, host, pathStyle, useSsl) => new S3Endpoint(region, host, pathStyle, useSsl)),
        Bucket,
        Key,
        Gen.Enum<ObjectMethod>(),
        Expires,
        Credentials,
        SigningTime,
        (endpoint, bucket, key, method, expires, credentials, time) => new Case(endpoint, bucket, key, method, expires, credentials, time))
        .Where(c => !SdkBuildsUnresolvableHost(c));

    // A dotted bucket on a plain-HTTP IP host: the SDK answers http://bucket.10.0.0.5/…, which
    // cannot resolve; we go path-style (S3EndpointTests covers it).
    private static bool SdkBuildsUnresolvableHost(Case c) =>
        c.Endpoint is { UseSsl: false, PathStyle: false, Host: { } host } && System.Net.IPAddress.TryParse(host.Host, out _) && c.Bucket.Contains('.');

    // Real upload IDs: AWS's are URL-safe base64 with dots, RGW's "2~" + letters, digits, '-' and '_'.
    // The odd ones check the encoding of everything else, but for '&': the SDK's URL carries the
    // id raw, and an '&' in it cannot be told from the next parameter (our URL encodes it).
    private static readonly Gen<string> UploadId = Gen.Frequency(
        (3, Gen.Char["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-"].Array[20, 160].Select(a => new string(a))),
        (2, Gen.Char["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"].Array[8, 40].Select(a => "2~" + new string(a))),
        (1, KeyPiece.Array[1, 20].Select(string.Concat).Where(id => !id.Contains('&', StringComparison.Ordinal))));

    private static readonly Gen<int> PartNumber = Gen.Frequency(
        (1, Gen.OneOf(1, 2, 9, 10, 99, 100, 999, 1000, 9999, PresignRequest.MaxPartNumber)),
        (3, Gen.Int[1, PresignRequest.MaxPartNumber]));

    private static readonly Gen<string> ContentType = Gen.Frequency(
        (3, Gen.OneOf(
            "application/octet-stream", "image/png", "image/jpeg", "text/plain; charset=utf-8", "application/json",
            "video/mp4", "application/x-tar", "multipart/form-data; boundary=----abc123", "text/csv;charset=UTF-8")),
        (1, Gen.Select(
            Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789.+-"].Array[1, 20].Select(a => new string(a)),
            Gen.Char["abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.+-_=;\"()!#$%&'*,:<>?@[]^`{|}~"].Array[1, 30].Select(a => new string(a)),
            (type, subtype) => type + "/" + subtype)));

    private static readonly Gen<long> ContentLength = Gen.Frequency(
        (1, Gen.OneOf(0L, 1L, 5L << 20, (5L << 20) + 1, 5L << 30, 5L << 40)),
        (3, Gen.Long[0, 5L << 40]));

    private static readonly Gen<Constraints> ConstraintSets = Gen.Select(
        Gen.Bool.SelectMany(part => part ? Gen.Select(UploadId, PartNumber, (id, n) => ((string?)id, (int?)n)) : Gen.Const<(string?, int?)>((null, null))),
        Gen.Frequency((1, Gen.Const((string?)null)), (1, ContentType.Select(t => (string?)t))),
        Gen.Frequency((1, Gen.Const((long?)null)), (1, ContentLength.Select(l => (long?)l))),
        (part, type, length) => new Constraints(part.Item1, part.Item2, type, length))
        .Where(c => c.UploadId is not null || c.ContentType is not null || c.ContentLength is not null);

    [Fact]
    public void Matches_the_AWS_SDK_for_five_thousand_generated_part_and_constrained_PUT_urls()
    {
        var presigner = new SigV4Presigner(TimeProvider.System);
        var forms = new PostPolicySigner(TimeProvider.System);
        int compared = 0;
        Gen.Select(Cases.Select(c => c with { Method = ObjectMethod.Put }), ConstraintSets).Sample(
            (c, k) =>
            {
                using var client = AwsSdkPresigner.CreateClient(c.Endpoint, c.Credentials);
                string expected = AwsSdkPresigner.Presign(
                    client, c.Endpoint, ObjectMethod.Put, c.Bucket, c.Key, c.Expires, c.Time, k.UploadId, k.PartNumber, k.ContentType, k.ContentLength);

                // Through the provider seam, as the server signs: the endpoint's addressing, then SigV4.
                IUrlSigner signer = new S3UrlSigner(presigner, forms, c.Endpoint, c.Credentials);
                string actual = signer.Sign(
                    c.Bucket, c.Key, ObjectMethod.Put, c.Expires, new DateTimeOffset(c.Time, TimeSpan.Zero), new UploadConstraint(k.UploadId, k.PartNumber, k.ContentType, k.ContentLength));

                // The SDK signs the encoded uploadId but writes it into its URL raw (so an id holding
                // '&' or '+' would not survive its URL); the equal signatures prove the canonical
                // query agrees, and our URL must carry exactly that encoded form.
                PresignedUrlParts.AssertSame(expected, actual, "uploadId");
                if (k.UploadId is { } uploadId)
                {
                    Assert.Equal(Uri.EscapeDataString(uploadId), PresignedUrlParts.Parse(actual).Query["uploadId"]);
                    Assert.EndsWith($"&partNumber={k.PartNumber}&uploadId={Uri.EscapeDataString(uploadId)}", actual[..actual.IndexOf("&X-Amz-Signature=", StringComparison.Ordinal)], StringComparison.Ordinal);
                }

                compared++;
            },
            iter: 5000,
            threads: 1);
        Assert.True(compared >= 5000, $"only {compared} inputs were compared");
    }

    [Fact]
    public void Matches_the_AWS_SDK_for_five_thousand_generated_inputs()
    {
        var presigner = new SigV4Presigner(TimeProvider.System);
        var forms = new PostPolicySigner(TimeProvider.System);
        int compared = 0;
        Cases.Sample(
            c =>
            {
                Assert.Null(ObjectKey.Problem(c.Key));
                using var client = AwsSdkPresigner.CreateClient(c.Endpoint, c.Credentials);
                string expected = AwsSdkPresigner.Presign(client, c.Endpoint, c.Method, c.Bucket, c.Key, c.Expires, c.Time);

                IUrlSigner signer = new S3UrlSigner(presigner, forms, c.Endpoint, c.Credentials);
                string actual = signer.Sign(c.Bucket, c.Key, c.Method, c.Expires, new DateTimeOffset(c.Time, TimeSpan.Zero));

                PresignedUrlParts.AssertSame(expected, actual);
                compared++;
            },
            iter: 5000,
            threads: 1);
        Assert.True(compared >= 5000, $"only {compared} inputs were compared");
    }

    public sealed record Constraints(string? UploadId, int? PartNumber, string? ContentType, long? ContentLength);

    public sealed record Case(S3Endpoint Endpoint, string Bucket, string Key, ObjectMethod Method, int Expires, SigningCredentials Credentials, DateTime Time)
    {
        public override string ToString() =>
            $"{Method} {Endpoint} bucket={Bucket} key=\"{Key}\" expires={Expires} time={Time:O} token={Credentials.SessionToken is not null}";
    }
}
