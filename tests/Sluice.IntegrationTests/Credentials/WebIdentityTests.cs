using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Sluice.IntegrationTests.Http;
using Xunit.Abstractions;
using static Sluice.IntegrationTests.Credentials.CredentialScenario;

namespace Sluice.IntegrationTests.Credentials;

/// <summary>
/// IRSA end to end: a JWT minted by a local OIDC issuer in <c>AWS_WEB_IDENTITY_TOKEN_FILE</c>,
/// <c>AWS_ROLE_ARN</c>, and <c>AWS_ENDPOINT_URL_STS</c> pointing at the gateway, whose STS
/// checks the token's signature against the issuer's keys and answers
/// <c>AssumeRoleWithWebIdentity</c> with a real session.
/// </summary>
[Collection(StsCredentialsCollection.Name)]
public sealed class WebIdentityTests(StsGatewayFixture gateway, ITestOutputHelper output)
{
    /// <summary>The session length the gateway gives when AssumeRoleWithWebIdentity names none.</summary>
    private static readonly TimeSpan DefaultSessionLength = TimeSpan.FromSeconds(3600);

    [Fact]
    public async Task Irsa_token_is_exchanged_at_the_gateways_sts_and_the_urls_it_signs_work_and_clamp_at_the_sessions_end()
    {
        await using OidcIssuer issuer = await OidcIssuer.StartAsync();
        await issuer.RegisterAsync(gateway);
        using var scratch = new TempDirectory();
        string tokenFile = scratch.Write("token", issuer.Mint("system:serviceaccount:sluice:gateway", TimeSpan.FromHours(1)));

        await using var server = await StartServerAsync(issuer, tokenFile);
        string account = NewAccountId("irsa");
        await server.CreateKeylessAccountAsync(account, gateway);

        DateTimeOffset before = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        JsonElement check = await server.CheckAsync(account, gateway.Bucket);
        DateTimeOffset after = DateTimeOffset.UtcNow;
        output.WriteLine($"$check with AssumeRoleWithWebIdentity at the gateway: {clock.ElapsedMilliseconds} ms; {check}");

        JsonElement credentials = check.GetProperty("credentials");
        string accessKeyId = credentials.GetProperty("access-key-id").GetString()!;
        AssertCheckedSource(check, "web-identity", accessKeyId, temporary: true);
        Assert.NotEqual(gateway.AdminKeys.AccessKey, accessKeyId);
        AssertBucketReachable(check, gateway.Bucket);
        DateTimeOffset expiresAt = CheckedExpiry(check);
        Assert.InRange(expiresAt, before + DefaultSessionLength - TimeSpan.FromSeconds(2), after + DefaultSessionLength + TimeSpan.FromSeconds(2));
        Assert.True(issuer.KeyRequests > 0, "the gateway never fetched the issuer's keys, so it checked no signature");

        // The session token is the gateway's to know: every URL carries the same one, and the gateway accepts it.
        Presigned probe = await server.PresignGetAsync(account, gateway.Bucket, "probe");
        Assert.False(string.IsNullOrEmpty(probe.SecurityToken));
        await AssertGatewayAcceptsAsync(server, gateway, account, accessKeyId, probe.SecurityToken, "irsa");

        await AssertClampedAtBoundaryAsync(server, gateway, account, expiresAt, TimeSpan.FromSeconds(1));
    }

    /// <summary>Control: a token the issuer did not sign gives no credentials, and the 503 says web identity failed at STS.</summary>
    [Fact]
    public async Task A_token_signed_with_another_key_is_refused_by_the_gateway_and_the_503_names_web_identity()
    {
        await using OidcIssuer issuer = await OidcIssuer.StartAsync();
        await issuer.RegisterAsync(gateway);
        using var scratch = new TempDirectory();
        using RSA stranger = RSA.Create(2048);
        string forged = issuer.Mint("system:serviceaccount:sluice:gateway", TimeSpan.FromHours(1), signer: stranger);
        string tokenFile = scratch.Write("token", forged);

        await using var server = await StartServerAsync(issuer, tokenFile);
        string account = NewAccountId("irsa-forged");
        await server.CreateKeylessAccountAsync(account, gateway);

        using HttpResponseMessage response = await server.RequestGetUrlAsync(account, gateway.Bucket, "k");
        JsonElement problem = await HttpTestSupport.ReadProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        string detail = problem.GetProperty("detail").GetString()!;
        output.WriteLine(detail);
        Assert.Contains($"web-identity: STS AssumeRoleWithWebIdentity for {issuer.RoleArn}: ", detail, StringComparison.Ordinal);
        Assert.Contains("container: ", detail, StringComparison.Ordinal);
        Assert.DoesNotContain(forged, detail, StringComparison.Ordinal);
    }

    private async Task<SluiceServerProcess> StartServerAsync(OidcIssuer issuer, string tokenFile)
    {
        var clock = Stopwatch.StartNew();
        var server = await SluiceServerProcess.StartAsync(new Dictionary<string, string?>
        {
            ["AWS_WEB_IDENTITY_TOKEN_FILE"] = tokenFile,
            ["AWS_ROLE_ARN"] = issuer.RoleArn,
            ["AWS_ROLE_SESSION_NAME"] = "sluice-irsa-test",
            ["AWS_ENDPOINT_URL_STS"] = gateway.ServiceUrl.GetLeftPart(UriPartial.Authority),
            ["AWS_REGION"] = gateway.Region,
        }, output);
        output.WriteLine($"sluice serve answering after {clock.ElapsedMilliseconds} ms");
        return server;
    }
}
