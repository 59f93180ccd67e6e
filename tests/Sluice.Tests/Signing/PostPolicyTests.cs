using System.Text;
using System.Text.Json;
using Sluice.Core.Addressing;
using Sluice.Core.Signing;
using Sluice.Core.Providers;

namespace Sluice.Tests.Signing;

/// <summary>
/// SigV4 POST policies: the signature reproduces the S3 documentation's worked example
/// ("Example: Browser-Based Upload using HTTP POST (Using AWS Signature Version 4)" in the S3
/// API reference), and the policy and fields we build say what the request asked for.
/// </summary>
public sealed class PostPolicyTests
{
    private static readonly SigningCredentials DocumentationKeys =
        new("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");

    // The example's policy exactly as published in base64 (its JSON has CRLF line ends, so the
    // encoded text, which is the string to sign, is the only unambiguous form).
    private const string PublishedPolicy =
        "eyAiZXhwaXJhdGlvbiI6ICIyMDE1LTEyLTMwVDEyOjAwOjAwLjAwMFoiLA0KICAiY29uZGl0aW9ucyI6IFsNCiAgICB7ImJ1Y2tldCI6ICJzaWd2NGV4YW1wbGVidWNrZXQifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRrZXkiLCAidXNlci91c2VyMS8iXSwNCiAgICB7ImFjbCI6ICJwdWJsaWMtcmVhZCJ9LA0KICAgIHsic3VjY2Vzc19hY3Rpb25fcmVkaXJlY3QiOiAiaHR0cDovL3NpZ3Y0ZXhhbXBsZWJ1Y2tldC5zMy5hbWF6b25hd3MuY29tL3N1Y2Nlc3NmdWxfdXBsb2FkLmh0bWwifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRDb250ZW50LVR5cGUiLCAiaW1hZ2UvIl0sDQogICAgeyJ4LWFtei1tZXRhLXV1aWQiOiAiMTQzNjUxMjM2NTEyNzQifSwNCiAgICB7IngtYW16LXNlcnZlci1zaWRlLWVuY3J5cHRpb24iOiAiQUVTMjU2In0sDQogICAgWyJzdGFydHMtd2l0aCIsICIkeC1hbXotbWV0YS10YWciLCAiIl0sDQoNCiAgICB7IngtYW16LWNyZWRlbnRpYWwiOiAiQUtJQUlPU0ZPRE5ON0VYQU1QTEUvMjAxNTEyMjkvdXMtZWFzdC0xL3MzL2F3czRfcmVxdWVzdCJ9LA0KICAgIHsieC1hbXotYWxnb3JpdGhtIjogIkFXUzQtSE1BQy1TSEEyNTYifSwNCiAgICB7IngtYW16LWRhdGUiOiAiMjAxNTEyMjlUMDAwMDAwWiIgfQ0KICBdDQp9";

    private const string PublishedSignature = "8afdbf4008c03f22c2cd3cdb72e4afbb1f6a588f3255ac628749a66d7f09699e";

    private static readonly DateTimeOffset Now = new(2026, 3, 14, 15, 9, 26, 535, TimeSpan.Zero);

    private static readonly S3Endpoint Aws = new("eu-west-1", null, PathStyle: false, UseSsl: true);

    [Fact]
    public void Reproduces_the_S3_documentation_example_signature()
    {
        string signature = PostPolicySigner.SignPolicy(PublishedPolicy, DocumentationKeys, "us-east-1", new DateTimeOffset(2015, 12, 29, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(PublishedSignature, signature);

        // The published text is the example's policy: same scope and date as the signature's.
        string json = Encoding.UTF8.GetString(Convert.FromBase64String(PublishedPolicy));
        Assert.Contains("\"x-amz-credential\": \"AKIAIOSFODNN7EXAMPLE/20151229/us-east-1/s3/aws4_request\"", json, StringComparison.Ordinal);
        Assert.Contains("\"x-amz-date\": \"20151229T000000Z\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Builds_the_fields_and_a_policy_with_every_condition()
    {
        var request = new PostPolicyRequest(Aws, "examplebucket", DocumentationKeys, Now.AddMinutes(10))
        {
            KeyPrefix = "uploads/user1/",
            ContentLength = new ContentLengthRange(1, 10_485_760),
            ContentType = "image/png",
            SuccessActionStatus = 201,
        };

        PostPolicyForm form = new PostPolicySigner(TimeProvider.System).Sign(request, Now);

        Assert.Equal("https://examplebucket.s3.eu-west-1.amazonaws.com/", form.Url);
        Assert.Equal(
            ["key", "Content-Type", "success_action_status", "x-amz-algorithm", "x-amz-credential", "x-amz-date", "policy", "x-amz-signature"],
            form.Fields.Select(f => f.Key));
        Assert.Equal("uploads/user1/${filename}", form["key"]);
        Assert.Equal("image/png", form["content-type"]);
        Assert.Equal("201", form["success_action_status"]);
        Assert.Equal("AWS4-HMAC-SHA256", form["x-amz-algorithm"]);
        Assert.Equal("AKIAIOSFODNN7EXAMPLE/20260314/eu-west-1/s3/aws4_request", form["x-amz-credential"]);
        Assert.Equal("20260314T150926Z", form["x-amz-date"]);
        Assert.Null(form["x-amz-security-token"]);
        Assert.Equal(PostPolicySigner.SignPolicy(form["policy"]!, DocumentationKeys, "eu-west-1", Now), form["x-amz-signature"]);

        string json = Encoding.UTF8.GetString(Convert.FromBase64String(form["policy"]!));
        Assert.Equal(
            """{"expiration":"2026-03-14T15:19:26.535Z","conditions":[{"bucket":"examplebucket"},["starts-with","$key","uploads/user1/"],["content-length-range",1,10485760],{"Content-Type":"image/png"},{"success_action_status":"201"},{"x-amz-algorithm":"AWS4-HMAC-SHA256"},{"x-amz-credential":"AKIAIOSFODNN7EXAMPLE/20260314/eu-west-1/s3/aws4_request"},{"x-amz-date":"20260314T150926Z"}]}""",
            json);
    }

    [Fact]
    public void Exact_key_type_prefix_and_session_token()
    {
        var keys = new SigningCredentials("ASIAEXAMPLE", "secret", "token/with+chars==");
        var endpoint = new S3Endpoint("us-east-1", EndpointHost.TryParse("127.0.0.1:7480", out var host, out _) ? host : null, PathStyle: true, UseSsl: false);
        var request = new PostPolicyRequest(endpoint, "bucket-1", keys, Now.AddHours(1)) { Key = "a/b.txt", ContentTypePrefix = "text/" };

        PostPolicyForm form = new PostPolicySigner(TimeProvider.System).Sign(request, Now);

        Assert.Equal("http://127.0.0.1:7480/bucket-1/", form.Url);
        Assert.Equal("a/b.txt", form["key"]);
        Assert.Null(form["Content-Type"]);
        Assert.Equal("token/with+chars==", form["x-amz-security-token"]);
        using JsonDocument policy = JsonDocument.Parse(Convert.FromBase64String(form["policy"]!));
        string[] conditions = policy.RootElement.GetProperty("conditions").EnumerateArray().Select(c => c.GetRawText()).ToArray();
        Assert.Contains("""{"key":"a/b.txt"}""", conditions);
        Assert.Contains("""["starts-with","$Content-Type","text/"]""", conditions);
        Assert.Contains("""{"x-amz-security-token":"token/with+chars=="}""", conditions);
    }

    [Fact]
    public void Escapes_what_JSON_requires_and_keeps_Unicode_as_is()
    {
        const string Prefix = "we\"ird\\ key/é 中文 😀 <tag> & 'q'/";
        var request = new PostPolicyRequest(Aws, "examplebucket", DocumentationKeys, Now.AddMinutes(1)) { KeyPrefix = Prefix };

        PostPolicyForm form = new PostPolicySigner(TimeProvider.System).Sign(request, Now);

        string json = Encoding.UTF8.GetString(Convert.FromBase64String(form["policy"]!));
        // Quote and backslash escaped, everything else literal UTF-8, the emoji too (the RADOS
        // Gateway decodes a \uD83D\uDE00 pair wrongly: PostPolicyOnRadosGatewayTests).
        Assert.Contains(
            "[\"starts-with\",\"$key\",\"we\\\"ird\\\\ key/é 中文 😀 <tag> & 'q'/\"]",
            json,
            StringComparison.Ordinal);
        using JsonDocument policy = JsonDocument.Parse(json);
        Assert.Equal(Prefix, policy.RootElement.GetProperty("conditions")[1][2].GetString());
    }

    [Theory]
    [InlineData("""["a\uD83D\uDE00b"]""", "[\"a😀b\"]")]
    [InlineData("""["\\uD83D\uDE00"]""", "[\"\\\\uD83D\\uDE00\"]")]
    [InlineData("""["\uD83D"]""", "[\"\\uD83D\"]")]
    [InlineData("""["\uDE00\uD83D"]""", "[\"\\uDE00\\uD83D\"]")]
    [InlineData("""["\u0001\n\"\uD83D\uDE00\uD83D\uDE01"]""", "[\"\\u0001\\n\\\"😀😁\"]")]
    public void Joins_escaped_surrogate_pairs_and_nothing_else(string written, string expected)
    {
        byte[] joined = PostPolicyDocument.JoinSurrogatePairs(Encoding.UTF8.GetBytes(written));

        Assert.Equal(expected, Encoding.UTF8.GetString(joined));
        if (expected == written)
        {
            return; // lone surrogates stay escaped, and .NET will not read them as a string
        }

        using JsonDocument before = JsonDocument.Parse(written);
        using JsonDocument after = JsonDocument.Parse(joined);
        Assert.Equal(before.RootElement[0].GetString(), after.RootElement[0].GetString());
    }

    [Fact]
    public void Uses_the_injected_clock()
    {
        var request = new PostPolicyRequest(Aws, "examplebucket", DocumentationKeys, Now.AddMinutes(1)) { Key = "k" };
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Now);

        Assert.Equal("20260314T150926Z", new PostPolicySigner(clock).Sign(request)["x-amz-date"]);
    }

    public static TheoryData<string, PostPolicyRequest> Refused => new()
    {
        { "no key", new PostPolicyRequest(Aws, "examplebucket", DocumentationKeys, Now.AddMinutes(1)) },
        { "key and prefix", new PostPolicyRequest(Aws, "examplebucket", DocumentationKeys, Now.AddMinutes(1)) { Key = "k", KeyPrefix = "p/" } },
        { "bad bucket", new PostPolicyRequest(Aws, "Bad_Bucket", DocumentationKeys, Now.AddMinutes(1)) { Key = "k" } },
        { "control character", new PostPolicyRequest(Aws, "examplebucket", DocumentationKeys, Now.AddMinutes(1)) { Key = "a\nb" } },
        { "both type forms", new PostPolicyRequest(Aws, "examplebucket", DocumentationKeys, Now.AddMinutes(1)) { Key = "k", ContentType = "a/b", ContentTypePrefix = "a/" } },
        { "empty type", new PostPolicyRequest(Aws, "examplebucket", DocumentationKeys, Now.AddMinutes(1)) { Key = "k", ContentType = "" } },
        { "inverted range", new PostPolicyRequest(Aws, "examplebucket", DocumentationKeys, Now.AddMinutes(1)) { Key = "k", ContentLength = new(10, 9) } },
        { "negative range", new PostPolicyRequest(Aws, "examplebucket", DocumentationKeys, Now.AddMinutes(1)) { Key = "k", ContentLength = new(-1, 9) } },
        { "status 202", new PostPolicyRequest(Aws, "examplebucket", DocumentationKeys, Now.AddMinutes(1)) { Key = "k", SuccessActionStatus = 202 } },
        { "expired at signing", new PostPolicyRequest(Aws, "examplebucket", DocumentationKeys, Now) { Key = "k" } },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Refuses(string why, PostPolicyRequest request)
    {
        Assert.NotNull(why);
        Assert.ThrowsAny<ArgumentException>(() => new PostPolicySigner(TimeProvider.System).Sign(request, Now));
    }
}
