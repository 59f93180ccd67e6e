using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;

namespace Sluice.IntegrationTests.Credentials;

/// <summary>Checks shared by the credential scenarios: URLs the gateway accepts, clamping at the credentials' end.</summary>
public static class CredentialScenario
{
    public static string NewAccountId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    /// <summary>
    /// Presigns an upload and a download of a fresh key, sends both to the gateway and checks
    /// it stored and returned the same bytes; both URLs are signed with <paramref name="accessKeyId"/>
    /// and carry <paramref name="sessionToken"/> (or no token when null). Returns the two answers.
    /// </summary>
    public static async Task<(Presigned Put, Presigned Get)> AssertGatewayAcceptsAsync(
        SluiceServerProcess server, StsGatewayFixture gateway, string account, string accessKeyId, string? sessionToken, string keyPrefix)
    {
        string key = $"{keyPrefix}/{Guid.NewGuid():N}.bin";
        byte[] body = RandomNumberGenerator.GetBytes(10_000);

        Presigned put = await server.PresignPutAsync(account, gateway.Bucket, key, expiration: 600);
        Assert.Equal("PUT", put.Method);
        AssertSignedWith(put, accessKeyId, sessionToken);
        using (HttpResponseMessage response = await gateway.SendAsync(HttpMethod.Put, put.Url, body))
        {
            await AssertStatusAsync(HttpStatusCode.OK, response, "PUT with the presigned upload URL");
        }

        Presigned get = await server.PresignGetAsync(account, gateway.Bucket, key, expiration: 600);
        Assert.Equal("GET", get.Method);
        AssertSignedWith(get, accessKeyId, sessionToken);
        using (HttpResponseMessage response = await gateway.SendAsync(HttpMethod.Get, get.Url))
        {
            await AssertStatusAsync(HttpStatusCode.OK, response, "GET with the presigned download URL");
            Assert.Equal(body, await response.Content.ReadAsByteArrayAsync());
        }

        return (put, get);
    }

    public static void AssertSignedWith(Presigned url, string accessKeyId, string? sessionToken)
    {
        Assert.Equal(accessKeyId, url.AccessKeyId);
        Assert.Equal(sessionToken, url.SecurityToken);
    }

    /// <summary>
    /// Expiration clamping at the boundary, for credentials that end at <paramref name="credentialsEnd"/>:
    /// the longest expiration SigV4 allows is cut to the credentials' end (within
    /// <paramref name="tolerance"/>: the URL's own end is whole seconds from a whole-second
    /// <c>X-Amz-Date</c>) with a note saying so, and <c>X-Amz-Expires</c> says the same; a few
    /// seconds past the remaining lifetime is clamped too; a few seconds short of it is not
    /// clamped and has no note. The clamped URL works now.
    /// </summary>
    public static async Task AssertClampedAtBoundaryAsync(
        SluiceServerProcess server, StsGatewayFixture gateway, string account, DateTimeOffset credentialsEnd, TimeSpan tolerance)
    {
        string key = $"clamp/{Guid.NewGuid():N}.txt";
        await gateway.S3.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest { BucketName = gateway.Bucket, Key = key, ContentBody = "clamped" });

        Presigned longest = await server.PresignGetAsync(account, gateway.Bucket, key, expiration: 604_800);
        AssertClamped(longest, credentialsEnd, tolerance, 604_800);
        using (HttpResponseMessage response = await gateway.SendAsync(HttpMethod.Get, longest.Url))
        {
            await AssertStatusAsync(HttpStatusCode.OK, response, "GET with the clamped URL");
        }

        int remaining = (int)Math.Floor((credentialsEnd - DateTimeOffset.UtcNow).TotalSeconds);
        Assert.True(remaining > 10, $"the credentials have only {remaining} s left");

        Presigned justPast = await server.PresignGetAsync(account, gateway.Bucket, key, expiration: remaining + 3);
        AssertClamped(justPast, credentialsEnd, tolerance, remaining + 3);

        Presigned justShort = await server.PresignGetAsync(account, gateway.Bucket, key, expiration: remaining - 3);
        Assert.True(justShort.Note is null, $"asking {remaining - 3} s of {remaining} s left was clamped: {justShort.Note}");
        Assert.Equal(remaining - 3, justShort.ExpiresInSeconds);
        Assert.Equal(justShort.ExpiresAt, justShort.UrlEnd);
        Assert.True(justShort.ExpiresAt < credentialsEnd);
    }

    private static void AssertClamped(Presigned url, DateTimeOffset credentialsEnd, TimeSpan tolerance, int asked)
    {
        string context = $"asked {asked} s, credentials end {credentialsEnd:O}, got expiresAt {url.ExpiresAt:O}, X-Amz-Date {url.SignedAt:O} + X-Amz-Expires {url.ExpiresInSeconds}, note: {url.Note}";
        Assert.True(url.Note is not null, "no note on a clamped URL: " + context);
        Assert.Contains($"expiration shortened from {asked} to {url.ExpiresInSeconds} seconds", url.Note, StringComparison.Ordinal);
        Assert.Contains(credentialsEnd.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture), url.Note, StringComparison.Ordinal);
        Assert.True(url.ExpiresInSeconds < asked, context);
        Assert.True(url.ExpiresAt == url.UrlEnd, "expiresAt differs from X-Amz-Date + X-Amz-Expires: " + context);
        Assert.True(url.ExpiresAt <= credentialsEnd, "the URL outlives the credentials: " + context);
        Assert.True(credentialsEnd - url.ExpiresAt <= tolerance, "clamped further than the credentials' end: " + context);
    }

    /// <summary>The <c>credentials</c> part of a <c>$check</c> answer, checked to be a success from <paramref name="source"/>.</summary>
    public static JsonElement AssertCheckedSource(JsonElement check, string source, string accessKeyId, bool temporary)
    {
        Assert.True(check.GetProperty("ok").GetBoolean(), check.ToString());
        JsonElement credentials = check.GetProperty("credentials");
        Assert.True(credentials.GetProperty("ok").GetBoolean(), check.ToString());
        Assert.Equal(source, credentials.GetProperty("source").GetString());
        Assert.Equal(accessKeyId, credentials.GetProperty("access-key-id").GetString());
        Assert.Equal(temporary, credentials.GetProperty("temporary").GetBoolean());
        return credentials;
    }

    /// <summary>The <c>expiresAt</c> of a <c>$check</c> answer's credentials.</summary>
    public static DateTimeOffset CheckedExpiry(JsonElement check) =>
        check.GetProperty("credentials").GetProperty("expiresAt").GetDateTimeOffset().ToUniversalTime();

    /// <summary>The bucket probe of a <c>$check ?bucket=</c> answer succeeded.</summary>
    public static void AssertBucketReachable(JsonElement check, string bucket)
    {
        JsonElement probe = check.GetProperty("bucket");
        Assert.Equal(bucket, probe.GetProperty("name").GetString());
        Assert.True(probe.GetProperty("ok").GetBoolean(), check.ToString());
        Assert.Equal(200, probe.GetProperty("status").GetInt32());
    }

    public static async Task AssertStatusAsync(HttpStatusCode expected, HttpResponseMessage response, string what)
    {
        if (response.StatusCode != expected)
        {
            Assert.Fail($"{what}: expected {(int)expected} {expected}, got {(int)response.StatusCode} {response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>The gateway refused the URL: 403, or 400 for a token it cannot decode (never a success).</summary>
    public static async Task AssertRefusedAsync(HttpResponseMessage response, string what)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(
            response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.BadRequest,
            $"{what}: expected the gateway to refuse (403), got {(int)response.StatusCode}: {body}");
    }
}
