using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Sluice.Core.Addressing;
using Sluice.Core.Signing;
using Xunit.Abstractions;
using static Sluice.IntegrationTests.Credentials.CredentialScenario;
using Sluice.Core.Providers;

namespace Sluice.IntegrationTests.Credentials;

/// <summary>
/// A real STS session running out, with nothing shortened: the container endpoint hands out
/// 900 s sessions (the gateway's minimum) with their real expiry, and the refresh margin is
/// set close to that length. The server refreshes before the first session ends (at half its
/// lifetime) and the new URLs work; a URL clamped to the first session's end works until then
/// and is refused by the gateway after it, while URLs of the refreshed session keep working.
/// It waits about 15 minutes, in its own collection so the other tests run meanwhile.
/// </summary>
[Collection(StsSessionExpiryCollection.Name)]
public sealed class SessionExpiryTests(StsGatewayFixture gateway, ITestOutputHelper output)
{
    private const int SessionSeconds = 900;

    [SlowFact]
    public async Task A_session_is_refreshed_before_it_ends_and_a_url_clamped_to_its_end_is_refused_after_it()
    {
        var clock = Stopwatch.StartNew();
        using var scratch = new TempDirectory();
        string token = "pod-identity-token-" + Guid.NewGuid().ToString("N");
        string tokenFile = scratch.Write("eks-pod-identity-token", token);
        await using var endpoint = await ContainerCredentialsEndpoint.StartAsync(() => gateway.AssumeRoleAsync(SessionSeconds), token);
        await using var server = await SluiceServerProcess.StartAsync(new Dictionary<string, string?>
        {
            ["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = endpoint.FullUri,
            ["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = tokenFile,
            ["Sluice__CredentialRefreshBeforeExpirySeconds"] = (SessionSeconds - 10).ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, output);
        string account = NewAccountId("expiry");
        await server.CreateKeylessAccountAsync(account, gateway);

        // Session 1: a week asked, the session's end given, with a note; the URL works now.
        string key = $"expiry/{Guid.NewGuid():N}.txt";
        await gateway.S3.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest { BucketName = gateway.Bucket, Key = key, ContentBody = "expiring" });
        Presigned clamped = await server.PresignGetAsync(account, gateway.Bucket, key, expiration: 604_800);
        var first = Assert.Single(endpoint.Handouts);
        Assert.Equal(first.Keys.Expiration, first.AdvertisedExpiration, TimeSpan.FromSeconds(1));
        DateTimeOffset firstEnd = first.AdvertisedExpiration;
        AssertSignedWith(clamped, first.Keys.AccessKeyId, first.Keys.SessionToken);
        Assert.NotNull(clamped.Note);
        Assert.True(clamped.ExpiresAt <= firstEnd && firstEnd - clamped.ExpiresAt <= TimeSpan.FromSeconds(1), $"expiresAt {clamped.ExpiresAt:O}, session end {firstEnd:O}");
        Assert.Equal(clamped.ExpiresAt, clamped.UrlEnd);
        await AssertGetsAsync(clamped.Url, HttpStatusCode.OK, "the clamped URL right after signing");

        // What clamping prevents: the same key signed by session 1 for an hour (the URL's own
        // parameters would still be valid after the session's end).
        string unclamped = SignWith(first.Keys, key, 3600);
        await AssertGetsAsync(unclamped, HttpStatusCode.OK, "an hour-long URL of session 1 right after signing");
        output.WriteLine($"[{clock.Elapsed:mm\\:ss}] session 1 {first.Keys.AccessKeyId} ends {firstEnd:O}; clamped URL expiresAt {clamped.ExpiresAt:O}");

        // The refresh: due at half the session's lifetime (margin min(890 s, lifetime / 2)).
        DateTimeOffset refreshDue = firstEnd - (firstEnd - first.At) / 2;
        await DelayUntil(refreshDue + TimeSpan.FromSeconds(2));
        await server.PresignGetAsync(account, gateway.Bucket, "expiry/trigger");
        Presigned refreshed = await WaitForNewKeyAsync(server, account, gateway.Bucket, key, first.Keys.AccessKeyId);
        Assert.Equal(2, endpoint.Calls);
        var second = endpoint.Handouts[1];
        Assert.NotEqual(first.Keys.AccessKeyId, second.Keys.AccessKeyId);
        Assert.True(second.At < firstEnd, "the refresh came after the session ended");
        AssertSignedWith(refreshed, second.Keys.AccessKeyId, second.Keys.SessionToken);
        await AssertGetsAsync(refreshed.Url, HttpStatusCode.OK, "a URL of the refreshed session");
        await AssertGatewayAcceptsAsync(server, gateway, account, second.Keys.AccessKeyId, second.Keys.SessionToken, "expiry-refreshed");
        JsonElement check = await server.CheckAsync(account);
        Assert.Equal(second.AdvertisedExpiration, CheckedExpiry(check));
        output.WriteLine($"[{clock.Elapsed:mm\\:ss}] refreshed at {second.At:O} ({(firstEnd - second.At).TotalSeconds:F0} s before session 1 ended): session 2 {second.Keys.AccessKeyId} ends {second.AdvertisedExpiration:O}");

        // Shortly before the end, session 1's clamped URL still works.
        await DelayUntil(clamped.ExpiresAt - TimeSpan.FromSeconds(15));
        await AssertGetsAsync(clamped.Url, HttpStatusCode.OK, "the clamped URL 15 s before the session's end");

        // After the end: refused, as is session 1's hour-long URL; session 2's URLs still work.
        await DelayUntil(firstEnd + TimeSpan.FromSeconds(3));
        output.WriteLine($"[{clock.Elapsed:mm\\:ss}] session 1 has ended");
        using (HttpResponseMessage expired = await gateway.SendAsync(HttpMethod.Get, clamped.Url))
        {
            await AssertRefusedAsync(expired, "the URL clamped to session 1's end, after it");
        }

        using (HttpResponseMessage expired = await gateway.SendAsync(HttpMethod.Get, unclamped))
        {
            await AssertRefusedAsync(expired, "session 1's hour-long URL after the session's end");
        }

        await AssertGetsAsync(refreshed.Url, HttpStatusCode.OK, "session 2's URL after session 1 ended");

        // Session 2 is itself at half its lifetime by now, so this request may start its refresh:
        // it is signed by session 2 or a later one, never by session 1.
        Presigned current = await server.PresignGetAsync(account, gateway.Bucket, key);
        Assert.NotEqual(first.Keys.AccessKeyId, current.AccessKeyId);
        await AssertGetsAsync(current.Url, HttpStatusCode.OK, "a new URL after session 1 ended");
        Assert.Equal(0, endpoint.Unauthorized);
        output.WriteLine($"[{clock.Elapsed:mm\\:ss}] done");
    }

    private async Task AssertGetsAsync(string url, HttpStatusCode expected, string what)
    {
        using HttpResponseMessage response = await gateway.SendAsync(HttpMethod.Get, url);
        await AssertStatusAsync(expected, response, what);
    }

    private string SignWith(TemporaryKeys keys, string key, int seconds)
    {
        var endpoint = new S3Endpoint(gateway.Region, EndpointHost.TryParse(gateway.HostAndPort, out var host, out _) ? host : throw new InvalidOperationException(), PathStyle: true, UseSsl: false);
        BucketAddress address = endpoint.Locate(gateway.Bucket);
        return new SigV4Presigner(TimeProvider.System).Presign(new PresignRequest(
            ObjectMethod.Get, address.Scheme, address.Authority, address.PathPrefix, key, gateway.Region,
            new SigningCredentials(keys.AccessKeyId, keys.SecretAccessKey, keys.SessionToken), seconds));
    }

    private static async Task<Presigned> WaitForNewKeyAsync(SluiceServerProcess server, string account, string bucket, string key, string oldAccessKey)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            Presigned url = await server.PresignGetAsync(account, bucket, key);
            if (url.AccessKeyId != oldAccessKey)
            {
                return url;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "the refreshed credentials were not used within 30 s");
            await Task.Delay(200);
        }
    }

    private static async Task DelayUntil(DateTimeOffset time)
    {
        TimeSpan wait = time - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }
    }
}
