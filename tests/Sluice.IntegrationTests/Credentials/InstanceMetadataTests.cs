using System.Diagnostics;
using System.Text.Json;
using Xunit.Abstractions;
using static Sluice.IntegrationTests.Credentials.CredentialScenario;

namespace Sluice.IntegrationTests.Credentials;

/// <summary>
/// The EC2 instance profile through IMDSv2 (<c>AWS_EC2_METADATA_SERVICE_ENDPOINT</c> at a
/// loopback endpoint that refuses requests without a session token), with real sessions from
/// the gateway's STS behind the role.
/// </summary>
[Collection(StsCredentialsCollection.Name)]
public sealed class InstanceMetadataTests(StsGatewayFixture gateway, ITestOutputHelper output)
{
    [Fact]
    public async Task Imdsv2_role_credentials_sign_urls_the_gateway_accepts_and_clamp_at_their_expiry()
    {
        await using var imds = await InstanceMetadataEndpoint.StartAsync(() => gateway.AssumeRoleAsync(1800));
        var clock = Stopwatch.StartNew();
        await using var server = await SluiceServerProcess.StartAsync(new Dictionary<string, string?>
        {
            ["AWS_EC2_METADATA_DISABLED"] = null,
            ["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = imds.Endpoint,
        }, output);
        output.WriteLine($"sluice serve answering after {clock.ElapsedMilliseconds} ms");
        string account = NewAccountId("imds");
        await server.CreateKeylessAccountAsync(account, gateway);

        clock.Restart();
        JsonElement check = await server.CheckAsync(account, gateway.Bucket);
        output.WriteLine($"$check through IMDSv2: {clock.ElapsedMilliseconds} ms; requests: {string.Join(", ", imds.Requests)}");
        TemporaryKeys keys = Assert.Single(imds.Handouts);
        AssertCheckedSource(check, "instance-metadata", keys.AccessKeyId, temporary: true);
        AssertBucketReachable(check, gateway.Bucket);
        DateTimeOffset expiry = ContainerCredentialsEndpoint.WholeSeconds(keys.Expiration);
        Assert.Equal(expiry, CheckedExpiry(check));

        // IMDSv2: a session token first, then every metadata request carries it.
        Assert.True(imds.TokenRequests > 0);
        Assert.Equal(0, imds.Rejected);
        Assert.StartsWith("PUT /latest/api/token 200", imds.Requests[0], StringComparison.Ordinal);
        Assert.Contains($"GET /latest/meta-data/iam/security-credentials/{InstanceMetadataEndpoint.RoleName} 200", imds.Requests);

        await AssertGatewayAcceptsAsync(server, gateway, account, keys.AccessKeyId, keys.SessionToken, "imds");
        await AssertClampedAtBoundaryAsync(server, gateway, account, expiry, TimeSpan.FromSeconds(1));
        Assert.Equal(1, imds.CredentialRequests);
    }
}
