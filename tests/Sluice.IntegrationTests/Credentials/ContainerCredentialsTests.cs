using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Sluice.IntegrationTests.Http;
using Xunit.Abstractions;
using static Sluice.IntegrationTests.Credentials.CredentialScenario;

namespace Sluice.IntegrationTests.Credentials;

/// <summary>
/// EKS Pod Identity's form of the container credentials source, against a loopback endpoint
/// that hands out real sessions from the gateway's STS: the URLs work, a burst of presigns
/// costs one call to the endpoint at start and one during a refresh, a refresh comes ahead of
/// expiry with the token file read again, a failing or unreachable endpoint is a 503 naming
/// the container source, and recovery needs no restart.
/// </summary>
[Collection(StsCredentialsCollection.Name)]
public sealed class ContainerCredentialsTests(StsGatewayFixture gateway, ITestOutputHelper output)
{
    private const int Burst = 200;

    /// <summary>How long a presign may take to answer 503 when the endpoint is down (one refresh with the SDK's retries).</summary>
    private static readonly TimeSpan FailureAnswerLimit = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Pod_identity_credentials_sign_urls_the_gateway_accepts_and_a_burst_at_start_calls_the_endpoint_once()
    {
        using var scratch = new TempDirectory();
        string tokenFile = scratch.Write("eks-pod-identity-token", "pod-identity-token-" + Guid.NewGuid().ToString("N"));
        await using var endpoint = await ContainerCredentialsEndpoint.StartAsync(() => gateway.AssumeRoleAsync(900), File.ReadAllText(tokenFile));
        await using var server = await StartServerAsync(endpoint, tokenFile);
        string account = NewAccountId("pod");
        await server.CreateKeylessAccountAsync(account, gateway);
        Assert.Equal(0, endpoint.Calls);

        var clock = Stopwatch.StartNew();
        Presigned[] burst = await PresignBurstAsync(server, account, "start");
        output.WriteLine($"{Burst} concurrent presigns right after start: {clock.ElapsedMilliseconds} ms, endpoint calls {endpoint.Calls}");

        Assert.Equal(1, endpoint.Calls);
        Assert.Equal(0, endpoint.Unauthorized);
        var handout = Assert.Single(endpoint.Handouts);
        Assert.All(burst, url => AssertSignedWith(url, handout.Keys.AccessKeyId, handout.Keys.SessionToken));
        Assert.NotEqual(gateway.AdminKeys.AccessKey, handout.Keys.AccessKeyId);

        await AssertGatewayAcceptsAsync(server, gateway, account, handout.Keys.AccessKeyId, handout.Keys.SessionToken, "pod-identity");

        JsonElement check = await server.CheckAsync(account, gateway.Bucket);
        AssertCheckedSource(check, "container", handout.Keys.AccessKeyId, temporary: true);
        Assert.Equal(handout.AdvertisedExpiration, CheckedExpiry(check));
        AssertBucketReachable(check, gateway.Bucket);
        Assert.Equal(1, endpoint.Calls);
    }

    [Fact]
    public async Task Container_credentials_clamp_url_expiration_at_their_expiry()
    {
        using var scratch = new TempDirectory();
        string tokenFile = scratch.Write("eks-pod-identity-token", "pod-identity-token-" + Guid.NewGuid().ToString("N"));
        await using var endpoint = await ContainerCredentialsEndpoint.StartAsync(() => gateway.AssumeRoleAsync(900), File.ReadAllText(tokenFile));
        await using var server = await StartServerAsync(endpoint, tokenFile);
        string account = NewAccountId("pod-clamp");
        await server.CreateKeylessAccountAsync(account, gateway);

        JsonElement check = await server.CheckAsync(account);
        var handout = Assert.Single(endpoint.Handouts);
        AssertCheckedSource(check, "container", handout.Keys.AccessKeyId, temporary: true);
        Assert.Equal(handout.Keys.Expiration, handout.AdvertisedExpiration, TimeSpan.FromSeconds(1));
        Assert.Equal(handout.AdvertisedExpiration, CheckedExpiry(check));

        await AssertClampedAtBoundaryAsync(server, gateway, account, handout.AdvertisedExpiration, TimeSpan.FromSeconds(1));
        Assert.Equal(1, endpoint.Calls);
    }

    /// <summary>
    /// The endpoint advertises an expiry 50 s out (the session behind it lasts 900 s, so every
    /// URL stays valid at the gateway) and the refresh margin is set close to that lifetime:
    /// the server refreshes at half the lifetime. The refresh call is held at the endpoint while
    /// 200 presigns run: they are all answered at once with the current credentials and make no
    /// further call. The token file is rotated before the refresh, which succeeds only because the
    /// file is read again. (The slow test does the same with a session's real end.)
    /// </summary>
    [Fact]
    public async Task A_refresh_ahead_of_expiry_is_one_call_for_a_burst_and_new_urls_carry_the_new_key()
    {
        using var scratch = new TempDirectory();
        string tokenFile = scratch.Write("eks-pod-identity-token", "pod-identity-token-" + Guid.NewGuid().ToString("N"));
        await using var endpoint = await ContainerCredentialsEndpoint.StartAsync(() => gateway.AssumeRoleAsync(900), File.ReadAllText(tokenFile));
        endpoint.AdvertisedLifetime = TimeSpan.FromSeconds(50);
        await using var server = await StartServerAsync(endpoint, tokenFile, ("Sluice__CredentialRefreshBeforeExpirySeconds", "45"));
        string account = NewAccountId("pod-refresh");
        await server.CreateKeylessAccountAsync(account, gateway);

        Presigned before = await server.PresignGetAsync(account, gateway.Bucket, "refresh/before");
        var first = Assert.Single(endpoint.Handouts);
        AssertSignedWith(before, first.Keys.AccessKeyId, first.Keys.SessionToken);

        // EKS rotates the projected token: from now on only the new one is accepted.
        string rotated = "pod-identity-token-rotated-" + Guid.NewGuid().ToString("N");
        File.WriteAllText(tokenFile, rotated);
        endpoint.ExpectedToken = rotated;

        // Refresh when half the advertised lifetime is left (the margin is min(45 s, lifetime / 2)).
        TimeSpan lifetime = first.AdvertisedExpiration - first.At;
        DateTimeOffset refreshDue = first.AdvertisedExpiration - lifetime / 2;
        Presigned stillOld = await server.PresignGetAsync(account, gateway.Bucket, "refresh/early");
        AssertSignedWith(stillOld, first.Keys.AccessKeyId, first.Keys.SessionToken);
        Assert.Equal(1, endpoint.Calls);

        ContainerCredentialsEndpoint.Hold hold = endpoint.HoldNextCall();
        await DelayUntil(refreshDue + TimeSpan.FromSeconds(1));
        var clock = Stopwatch.StartNew();
        Presigned trigger = await server.PresignGetAsync(account, gateway.Bucket, "refresh/trigger");
        output.WriteLine($"the request that started the refresh was answered in {clock.ElapsedMilliseconds} ms (refresh due {refreshDue:O}, advertised expiry {first.AdvertisedExpiration:O})");
        AssertSignedWith(trigger, first.Keys.AccessKeyId, first.Keys.SessionToken);
        await hold.Arrived.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, endpoint.Calls);
        Assert.True(endpoint.CallTimes[1] < first.AdvertisedExpiration, "the refresh came after the credentials expired");

        clock.Restart();
        Presigned[] during = await PresignBurstAsync(server, account, "during");
        output.WriteLine($"{Burst} concurrent presigns while the refresh was held at the endpoint: {clock.ElapsedMilliseconds} ms, endpoint calls {endpoint.Calls}");
        Assert.All(during, url => AssertSignedWith(url, first.Keys.AccessKeyId, first.Keys.SessionToken));
        Assert.Equal(2, endpoint.Calls);

        hold.Release();
        Presigned after = await WaitForNewKeyAsync(server, account, first.Keys.AccessKeyId);
        var second = endpoint.Handouts[1];
        Assert.NotEqual(first.Keys.AccessKeyId, second.Keys.AccessKeyId);
        AssertSignedWith(after, second.Keys.AccessKeyId, second.Keys.SessionToken);

        Presigned[] burstAfter = await PresignBurstAsync(server, account, "after");
        Assert.All(burstAfter, url => AssertSignedWith(url, second.Keys.AccessKeyId, second.Keys.SessionToken));
        Assert.Equal(2, endpoint.Calls);
        Assert.Equal(0, endpoint.Unauthorized);

        await AssertGatewayAcceptsAsync(server, gateway, account, second.Keys.AccessKeyId, second.Keys.SessionToken, "refreshed");
        JsonElement check = await server.CheckAsync(account);
        AssertCheckedSource(check, "container", second.Keys.AccessKeyId, temporary: true);
        Assert.Equal(second.AdvertisedExpiration, CheckedExpiry(check));
        Assert.Contains("Credentials from container refreshed", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_or_failing_endpoint_is_a_503_naming_the_container_source_and_recovery_needs_no_restart()
    {
        using var scratch = new TempDirectory();
        string token = "pod-identity-token-" + Guid.NewGuid().ToString("N");
        string tokenFile = scratch.Write("eks-pod-identity-token", token);
        await using var endpoint = await ContainerCredentialsEndpoint.StartAsync(() => gateway.AssumeRoleAsync(900), token);
        await endpoint.StopListeningAsync();
        await using var server = await StartServerAsync(endpoint, tokenFile);
        string account = NewAccountId("pod-fail");
        await server.CreateKeylessAccountAsync(account, gateway);

        // Connection refused.
        var clock = Stopwatch.StartNew();
        string refused = await AssertUnavailableAsync(server, account, token);
        output.WriteLine($"503 with the endpoint refusing connections after {clock.ElapsedMilliseconds} ms: {refused}");
        Assert.Matches("container: container endpoint: .*(refused|Connection)", refused);
        Assert.Equal(0, endpoint.Calls);
        Assert.True(clock.Elapsed < FailureAnswerLimit, $"the 503 took {clock.Elapsed.TotalSeconds:F1} s");

        // Listening again, but answering 500.
        endpoint.Failing = true;
        await endpoint.StartListeningAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));
        clock.Restart();
        string failing = await AssertUnavailableAsync(server, account, token);
        output.WriteLine($"503 with the endpoint answering 500 after {clock.ElapsedMilliseconds} ms ({endpoint.Calls} calls): {failing}");
        Assert.Contains("container: container endpoint: ", failing, StringComparison.Ordinal);
        Assert.Contains("500", failing, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < FailureAnswerLimit, $"the 503 took {clock.Elapsed.TotalSeconds:F1} s");

        // One failed refresh is the SDK's own retries (5 tries with backoff), not more: the endpoint is not hammered.
        Assert.InRange(endpoint.Calls, 1, 5);

        JsonElement check = await server.CheckAsync(account, gateway.Bucket);
        Assert.False(check.GetProperty("ok").GetBoolean());
        Assert.Contains("container: ", check.GetProperty("credentials").GetProperty("error").GetString(), StringComparison.Ordinal);

        // Working again: the next request after the failure hold-off succeeds, no restart.
        endpoint.Failing = false;
        int callsBefore = endpoint.Calls;
        await Task.Delay(TimeSpan.FromSeconds(2));
        clock.Restart();
        Presigned recovered = await server.PresignGetAsync(account, gateway.Bucket, "recovered/k");
        output.WriteLine($"first presign after recovery answered in {clock.ElapsedMilliseconds} ms");
        Assert.Equal(callsBefore + 1, endpoint.Calls);
        var handout = Assert.Single(endpoint.Handouts);
        AssertSignedWith(recovered, handout.Keys.AccessKeyId, handout.Keys.SessionToken);
        await AssertGatewayAcceptsAsync(server, gateway, account, handout.Keys.AccessKeyId, handout.Keys.SessionToken, "recovered");
        Assert.Equal(0, endpoint.Unauthorized);
    }

    /// <summary>A 503 problem that names every source of the chain and the container's failure; returns its detail.</summary>
    private static async Task<string> AssertUnavailableAsync(SluiceServerProcess server, string account, string token)
    {
        using HttpResponseMessage response = await server.RequestGetUrlAsync(account, "any-bucket", "k");
        JsonElement problem = await HttpTestSupport.ReadProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        string detail = problem.GetProperty("detail").GetString()!;
        foreach (string source in new[] { "environment: ", "profile: ", "web-identity: ", "container: ", "instance-metadata: " })
        {
            Assert.Contains(source, detail, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(token, detail, StringComparison.Ordinal);
        return detail;
    }

    private async Task<SluiceServerProcess> StartServerAsync(ContainerCredentialsEndpoint endpoint, string tokenFile, params (string Name, string Value)[] more)
    {
        var environment = new Dictionary<string, string?>
        {
            ["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = endpoint.FullUri,
            ["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = tokenFile,
        };
        foreach (var (name, value) in more)
        {
            environment[name] = value;
        }

        var clock = Stopwatch.StartNew();
        var server = await SluiceServerProcess.StartAsync(environment, output);
        output.WriteLine($"sluice serve answering after {clock.ElapsedMilliseconds} ms");
        return server;
    }

    private static async Task<Presigned[]> PresignBurstAsync(SluiceServerProcess server, string account, string label)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<Presigned>[] requests = Enumerable.Range(0, Burst).Select(async i =>
        {
            await start.Task;
            return await server.PresignGetAsync(account, "burst-bucket", $"{label}/{i}");
        }).ToArray();
        start.SetResult();
        return await Task.WhenAll(requests);
    }

    private static async Task<Presigned> WaitForNewKeyAsync(SluiceServerProcess server, string account, string oldAccessKey)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            Presigned url = await server.PresignGetAsync(account, "poll-bucket", "poll");
            if (url.AccessKeyId != oldAccessKey)
            {
                return url;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), "the refreshed credentials were not used within 15 s");
            await Task.Delay(100);
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
