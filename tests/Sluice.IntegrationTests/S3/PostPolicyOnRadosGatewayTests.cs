using System.Net;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using Sluice.Core.Signing;
using Xunit.Abstractions;
using Sluice.Core.Providers;

namespace Sluice.IntegrationTests.S3;

/// <summary>
/// Browser form uploads signed by <see cref="PostPolicySigner"/> against the RADOS Gateway: a form
/// within its policy stores the right bytes and type and answers with the chosen status; the
/// gateway itself refuses a file over the size limit, another content type, a key outside the
/// prefix, an expired policy and a tampered signature, and stores nothing for them.
/// Where RGW 16 answers differently from AWS it is noted on the test; the status codes match
/// AWS's throughout (400 for the size range, 403 for the rest), the error codes and messages not always.
/// </summary>
[Collection(RadosGatewayCollection.Name)]
public sealed class PostPolicyOnRadosGatewayTests(RadosGatewayFixture gateway, ITestOutputHelper output)
{
    private const int MaxSize = 1000;

    private readonly PostPolicySigner _signer = new(TimeProvider.System);

    [Theory]
    [InlineData(201, HttpStatusCode.Created)]
    [InlineData(200, HttpStatusCode.OK)]
    [InlineData(204, HttpStatusCode.NoContent)]
    [InlineData(null, HttpStatusCode.NoContent)]
    public async Task FormWithinThePolicy_StoresTheFile_AndAnswersWithTheChosenStatus(int? successStatus, HttpStatusCode expected)
    {
        string prefix = $"post/{Guid.NewGuid():N}/";
        string key = prefix + "report.txt";
        byte[] file = RandomNumberGenerator.GetBytes(MaxSize);
        PostPolicyForm form = _signer.Sign(Policy(prefix) with { SuccessActionStatus = successStatus });

        using HttpResponseMessage response = await BrowserFormPost.SendAsync(gateway.Http, form, file, overrides: Key(key));
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        if (expected == HttpStatusCode.Created)
        {
            Assert.Contains($"<Key>{key}</Key>", body, StringComparison.Ordinal);
            Assert.Contains($"<Bucket>{gateway.Bucket}</Bucket>", body, StringComparison.Ordinal);
        }

        await AssertStoredAsync(key, file, "text/plain");
    }

    [Fact]
    public async Task KeyFieldWithFilename_IsFilledInByTheGateway()
    {
        string prefix = $"post-filename/{Guid.NewGuid():N}/";
        byte[] file = RandomNumberGenerator.GetBytes(10);
        PostPolicyForm form = _signer.Sign(Policy(prefix));
        Assert.Equal(prefix + "${filename}", form["key"]);

        using HttpResponseMessage response = await BrowserFormPost.SendAsync(gateway.Http, form, file, fileName: "photo.txt");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);

        await AssertStoredAsync(prefix + "photo.txt", file, "text/plain");
    }

    /// <summary>
    /// Quote, backslash, non-ASCII and a character beyond U+FFFF in the prefix: the policy's JSON
    /// escaping reaches the gateway intact. RGW diverges from JSON here: it decodes an escaped
    /// surrogate pair (<c>\uD83D\uDE00</c>, which is how <see cref="System.Text.Json"/> and Python's
    /// <c>json.dumps</c> write 😀) one half at a time into six bytes of garbage, and then answers
    /// 403 AccessDenied "Policy condition failed: starts-with: $key, ...". Our policy writes such
    /// characters as plain UTF-8, which both RGW and the JSON standard read as meant.
    /// </summary>
    [Fact]
    public async Task PrefixNeedingJsonEscapes_IsMatchedExactly()
    {
        string prefix = $"post-escapes/{Guid.NewGuid():N}/we\"ird\\ é 中文 😀 <&>/";
        byte[] file = RandomNumberGenerator.GetBytes(10);
        PostPolicyForm form = _signer.Sign(Policy(prefix));

        using HttpResponseMessage response = await BrowserFormPost.SendAsync(gateway.Http, form, file, overrides: Key(prefix + "x"));
        Assert.True(response.StatusCode == HttpStatusCode.NoContent, $"got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");

        await AssertStoredAsync(prefix + "x", file, "text/plain");
    }

    [Fact]
    public async Task ExactKeyAndTypePrefix_AreEnforced()
    {
        string key = $"post-exact/{Guid.NewGuid():N}.png";
        byte[] file = RandomNumberGenerator.GetBytes(10);
        PostPolicyForm form = _signer.Sign(new PostPolicyRequest(gateway.Endpoint, gateway.Bucket, gateway.Credentials, DateTimeOffset.UtcNow.AddMinutes(5))
        {
            Key = key,
            ContentTypePrefix = "image/",
        });

        await AssertRefusedAsync(form, file, new() { ["Content-Type"] = "text/plain" }, key, HttpStatusCode.Forbidden, "AccessDenied");
        await AssertRefusedAsync(form, file, new() { ["Content-Type"] = "image/png", ["key"] = key + ".other" }, key + ".other", HttpStatusCode.Forbidden, "AccessDenied");

        using HttpResponseMessage response = await BrowserFormPost.SendAsync(gateway.Http, form, file, overrides: new Dictionary<string, string> { ["Content-Type"] = "image/png" });
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await AssertStoredAsync(key, file, "image/png");
    }

    /// <summary>As on AWS: 400 EntityTooLarge.</summary>
    [Fact]
    public async Task OneByteOverTheLimit_IsRefused()
    {
        string key = $"post-big/{Guid.NewGuid():N}/f";
        PostPolicyForm form = _signer.Sign(Policy(key[..^1]));

        await AssertRefusedAsync(form, RandomNumberGenerator.GetBytes(MaxSize + 1), Key(key), key, HttpStatusCode.BadRequest, "EntityTooLarge");
    }

    /// <summary>As on AWS: 400 EntityTooSmall.</summary>
    [Fact]
    public async Task UnderTheMinimum_IsRefused()
    {
        string key = $"post-small/{Guid.NewGuid():N}/f";
        PostPolicyForm form = _signer.Sign(Policy(key[..^1]));

        await AssertRefusedAsync(form, [], Key(key), key, HttpStatusCode.BadRequest, "EntityTooSmall");
    }

    /// <summary>403 AccessDenied, as on AWS; RGW's message is "Policy check failed, variable not met condition: Content-Type".</summary>
    [Fact]
    public async Task AnotherContentType_IsRefused()
    {
        string key = $"post-type/{Guid.NewGuid():N}/f";
        PostPolicyForm form = _signer.Sign(Policy(key[..^1]));

        await AssertRefusedAsync(form, RandomNumberGenerator.GetBytes(10), new() { ["key"] = key, ["Content-Type"] = "text/html" }, key, HttpStatusCode.Forbidden, "AccessDenied");
    }

    /// <summary>403 AccessDenied, as on AWS; RGW's message is "Policy condition failed: starts-with: $key, PREFIX".</summary>
    [Fact]
    public async Task KeyOutsideThePrefix_IsRefused()
    {
        string prefix = $"post-prefix/{Guid.NewGuid():N}/";
        string outside = $"post-elsewhere/{Guid.NewGuid():N}/f";
        PostPolicyForm form = _signer.Sign(Policy(prefix));

        await AssertRefusedAsync(form, RandomNumberGenerator.GetBytes(10), Key(outside), outside, HttpStatusCode.Forbidden, "AccessDenied");
    }

    /// <summary>
    /// Signed ten minutes ago, expired a minute ago: 403 AccessDenied "Policy expired" (AWS:
    /// 403 AccessDenied "Invalid according to Policy: Policy expired.").
    /// </summary>
    [Fact]
    public async Task ExpiredPolicy_IsRefused()
    {
        string key = $"post-expired/{Guid.NewGuid():N}/f";
        DateTimeOffset now = DateTimeOffset.UtcNow;
        PostPolicyForm form = _signer.Sign(
            new PostPolicyRequest(gateway.Endpoint, gateway.Bucket, gateway.Credentials, now.AddSeconds(-60))
            {
                KeyPrefix = key[..^1],
                ContentLength = new ContentLengthRange(1, MaxSize),
                ContentType = "text/plain",
            },
            now.AddMinutes(-10));

        await AssertRefusedAsync(form, RandomNumberGenerator.GetBytes(10), Key(key), key, HttpStatusCode.Forbidden, "AccessDenied", "Policy expired");
    }

    /// <summary>
    /// 403, but AccessDenied with an empty message where AWS says SignatureDoesNotMatch: with STS
    /// enabled RGW 16 tries its STS engine after the local one and reports that engine's refusal.
    /// </summary>
    [Fact]
    public async Task TamperedSignature_IsRefused()
    {
        string key = $"post-tampered/{Guid.NewGuid():N}/f";
        PostPolicyForm form = _signer.Sign(Policy(key[..^1]));
        string signature = form["x-amz-signature"]!;
        string tampered = (signature[0] == '0' ? "1" : "0") + signature[1..];

        await AssertRefusedAsync(form, RandomNumberGenerator.GetBytes(10), new() { ["key"] = key, ["x-amz-signature"] = tampered }, key, HttpStatusCode.Forbidden, "AccessDenied");
    }

    private PostPolicyRequest Policy(string prefix) =>
        new(gateway.Endpoint, gateway.Bucket, gateway.Credentials, DateTimeOffset.UtcNow.AddMinutes(5))
        {
            KeyPrefix = prefix,
            ContentLength = new ContentLengthRange(1, MaxSize),
            ContentType = "text/plain",
        };

    private static Dictionary<string, string> Key(string key) => new() { ["key"] = key };

    /// <summary>The gateway answers <paramref name="status"/> with the S3 error <paramref name="code"/> (and message, when given) and stores nothing under <paramref name="key"/>.</summary>
    private async Task AssertRefusedAsync(
        PostPolicyForm form, byte[] file, Dictionary<string, string> overrides, string key, HttpStatusCode status, string code, string? message = null)
    {
        using HttpResponseMessage response = await BrowserFormPost.SendAsync(gateway.Http, form, file, overrides: overrides);
        string body = await response.Content.ReadAsStringAsync();
        output.WriteLine($"{(int)response.StatusCode} {body}");
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Contains($"<Code>{code}</Code>", body, StringComparison.Ordinal);
        if (message is not null)
        {
            Assert.Contains($"<Message>{message}</Message>", body, StringComparison.Ordinal);
        }

        var missing = await Assert.ThrowsAsync<AmazonS3Exception>(() => gateway.S3.GetObjectMetadataAsync(gateway.Bucket, key));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    private async Task AssertStoredAsync(string key, byte[] file, string contentType)
    {
        using GetObjectResponse stored = await gateway.S3.GetObjectAsync(gateway.Bucket, key);
        Assert.Equal(contentType, stored.Headers.ContentType);
        using var copy = new MemoryStream();
        await stored.ResponseStream.CopyToAsync(copy);
        Assert.Equal(file, copy.ToArray());
    }
}
