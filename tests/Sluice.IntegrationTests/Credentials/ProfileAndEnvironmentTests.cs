using System.Net;
using System.Text.Json;
using Sluice.Core.Addressing;
using Sluice.Core.Signing;
using Xunit.Abstractions;
using static Sluice.IntegrationTests.Credentials.CredentialScenario;
using Sluice.Core.Providers;

namespace Sluice.IntegrationTests.Credentials;

/// <summary>
/// The long-lived sources, from temporary files and variables: a named profile of a shared
/// credentials file, the environment's keys, and the older <c>AWS_SECURITY_TOKEN</c> name
/// carrying a real session token from the gateway's STS.
/// </summary>
[Collection(StsCredentialsCollection.Name)]
public sealed class ProfileAndEnvironmentTests(StsGatewayFixture gateway, ITestOutputHelper output)
{
    [Fact]
    public async Task A_profile_of_a_shared_credentials_file_signs_urls_the_gateway_accepts()
    {
        using var scratch = new TempDirectory();
        string credentialsFile = scratch.Write("credentials", $"""
            [default]
            aws_access_key_id = AKIANOTTHISPROFILE00
            aws_secret_access_key = not-this-profile

            [sluice-it]
            aws_access_key_id = {gateway.AdminKeys.AccessKey}
            aws_secret_access_key = {gateway.AdminKeys.SecretKey}

            """);
        await using var server = await SluiceServerProcess.StartAsync(new Dictionary<string, string?>
        {
            ["AWS_SHARED_CREDENTIALS_FILE"] = credentialsFile,
            ["AWS_CONFIG_FILE"] = Path.Combine(scratch.Path, "no-config"),
            ["AWS_PROFILE"] = "sluice-it",
        }, output);
        string account = NewAccountId("profile");
        await server.CreateKeylessAccountAsync(account, gateway);

        await AssertGatewayAcceptsAsync(server, gateway, account, gateway.AdminKeys.AccessKey, null, "profile");
        JsonElement check = await server.CheckAsync(account, gateway.Bucket);
        JsonElement credentials = AssertCheckedSource(check, "profile 'sluice-it'", gateway.AdminKeys.AccessKey, temporary: false);
        Assert.False(credentials.TryGetProperty("expiresAt", out _));
        AssertBucketReachable(check, gateway.Bucket);
        Assert.DoesNotContain(gateway.AdminKeys.SecretKey, check.ToString(), StringComparison.Ordinal);

        // Long-lived keys are not clamped.
        Presigned week = await server.PresignGetAsync(account, gateway.Bucket, "week", expiration: 604_800);
        Assert.Null(week.Note);
        Assert.Equal(604_800, week.ExpiresInSeconds);
    }

    [Fact]
    public async Task Environment_keys_sign_urls_the_gateway_accepts()
    {
        await using var server = await SluiceServerProcess.StartAsync(new Dictionary<string, string?>
        {
            ["AWS_ACCESS_KEY_ID"] = gateway.AdminKeys.AccessKey,
            ["AWS_SECRET_ACCESS_KEY"] = gateway.AdminKeys.SecretKey,
        }, output);
        string account = NewAccountId("env");
        await server.CreateKeylessAccountAsync(account, gateway);

        await AssertGatewayAcceptsAsync(server, gateway, account, gateway.AdminKeys.AccessKey, null, "environment");
        JsonElement check = await server.CheckAsync(account, gateway.Bucket);
        AssertCheckedSource(check, "environment", gateway.AdminKeys.AccessKey, temporary: false);
        AssertBucketReachable(check, gateway.Bucket);
    }

    /// <summary>
    /// A session from the gateway's STS in the environment, its token under the older name only.
    /// The gateway accepts the URLs, and refuses the same URL signed without the token, so it
    /// is the token read from <c>AWS_SECURITY_TOKEN</c> that makes them work.
    /// </summary>
    [Fact]
    public async Task AWS_SECURITY_TOKEN_alone_carries_the_session_token_of_sts_credentials()
    {
        TemporaryKeys session = await gateway.AssumeRoleAsync(900);
        await using var server = await SluiceServerProcess.StartAsync(new Dictionary<string, string?>
        {
            ["AWS_ACCESS_KEY_ID"] = session.AccessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = session.SecretAccessKey,
            ["AWS_SECURITY_TOKEN"] = session.SessionToken,
        }, output);
        string account = NewAccountId("env-sectoken");
        await server.CreateKeylessAccountAsync(account, gateway);

        var (_, get) = await AssertGatewayAcceptsAsync(server, gateway, account, session.AccessKeyId, session.SessionToken, "security-token");
        JsonElement check = await server.CheckAsync(account, gateway.Bucket);
        AssertCheckedSource(check, "environment", session.AccessKeyId, temporary: true);
        AssertBucketReachable(check, gateway.Bucket);
        Assert.DoesNotContain(session.SessionToken, check.ToString(), StringComparison.Ordinal);

        // Control: the same request signed with the session's keys but no token is refused.
        string key = Uri.UnescapeDataString(new Uri(get.Url).AbsolutePath[(gateway.Bucket.Length + 2)..]);
        var endpoint = new S3Endpoint(gateway.Region, EndpointHost.TryParse(gateway.HostAndPort, out var host, out _) ? host : throw new InvalidOperationException(), PathStyle: true, UseSsl: false);
        BucketAddress address = endpoint.Locate(gateway.Bucket);
        string withoutToken = new SigV4Presigner(TimeProvider.System).Presign(new PresignRequest(
            ObjectMethod.Get, address.Scheme, address.Authority, address.PathPrefix, key, gateway.Region, new SigningCredentials(session.AccessKeyId, session.SecretAccessKey), 600));
        using HttpResponseMessage refused = await gateway.SendAsync(HttpMethod.Get, withoutToken);
        await AssertRefusedAsync(refused, "GET signed with the session's keys but without its token");
        using HttpResponseMessage control = await gateway.SendAsync(HttpMethod.Get, get.Url);
        await AssertStatusAsync(HttpStatusCode.OK, control, "GET with the URL that carries the token");
    }
}
