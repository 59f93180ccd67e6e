using Sluice.IntegrationTests.Http;
using static Sluice.IntegrationTests.Http.HttpTestSupport;

namespace Sluice.IntegrationTests.S3;

/// <summary>
/// What the tests of Sluice's signing APIs against the RADOS Gateway start from: a real server,
/// and one account on it for the gateway, with its keys.
/// </summary>
public abstract class GatewayAccountTest(RadosGatewayFixture gateway, string accountPrefix) : IAsyncLifetime
{
    protected RadosGatewayFixture Gateway => gateway;

    protected string Account { get; } = NewId(accountPrefix);

    protected SluiceTestHost Host { get; private set; } = null!;

    /// <summary><c>/aws/storage/{account}/{bucket}</c> for the gateway's bucket.</summary>
    protected string BucketPath => $"/aws/storage/{Account}/{gateway.Bucket}";

    public async Task InitializeAsync()
    {
        Host = await SluiceTestHost.StartAsync();
        await PutAccountAsync(Host.Client, Account, gateway.AccountYaml);
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
