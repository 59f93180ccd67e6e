using Sluice.Core.Accounts;
using Sluice.Core.Artifacts.Stores;
using Sluice.Core.Artifacts.Stores.Connections;
using Sluice.Core.Credentials;
using Sluice.Core.Providers;
using Sluice.Core.Providers.S3;
using Sluice.Core.Signing;
using Sluice.Core.Transfers;
using Sluice.IntegrationTests.S3;

namespace Sluice.IntegrationTests.Providers;

/// <summary>
/// The S3 store as artifact transfers connect it (the tuned client that takes our payload hash,
/// GETs over our own presigned URLs), on the RADOS Gateway.
/// </summary>
[Collection(RadosGatewayCollection.Name)]
public sealed class S3ObjectStoreForTransfersTests(RadosGatewayFixture gateway) : ObjectStoreContract
{
    private readonly IObjectStore _store = Connect(gateway, gateway.Bucket);

    protected override IObjectStore Store => _store;

    protected override Task<HttpResponseMessage> FetchAsync(string url) => gateway.SendAsync(HttpMethod.Get, url);

    protected override IObjectStore StoreOfMissingBucket() => Connect(gateway, "sluice-no-such-bucket-" + Guid.NewGuid().ToString("N")[..8]);

    private static S3ObjectStore Connect(RadosGatewayFixture gateway, string bucket)
    {
        var store = new ArtifactStore("contract", bucket, "", null, null, 1);
        var connection = new S3StoreConnection(store, gateway.Endpoint, true, new SigningCredentials(gateway.Credentials.AccessKeyId, gateway.Credentials.SecretAccessKey), "test");
        return S3ObjectStore.ConnectAsync(connection, new TransferOptions(), CredentialEnvironment.Process, CancellationToken.None).GetAwaiter().GetResult();
    }
}

/// <summary>The S3 store as the server opens it for an account (multipart calls, the bucket check), on the RADOS Gateway.</summary>
[Collection(RadosGatewayCollection.Name)]
public sealed class S3ObjectStoreForAccountsTests(RadosGatewayFixture gateway) : ObjectStoreContract
{
    private readonly S3Provider _provider = new(new SigV4Presigner(TimeProvider.System), new PostPolicySigner(TimeProvider.System));

    protected override IObjectStore Store => field ??= _provider.ObjectStore(Account(gateway), gateway.Credentials, gateway.Bucket);

    protected override Task<HttpResponseMessage> FetchAsync(string url) => gateway.SendAsync(HttpMethod.Get, url);

    protected override IObjectStore StoreOfMissingBucket() =>
        _provider.ObjectStore(Account(gateway), gateway.Credentials, "sluice-no-such-bucket-" + Guid.NewGuid().ToString("N")[..8]);

    private static AwsAccount Account(RadosGatewayFixture gateway) => new(
        "contract", gateway.Region, gateway.Credentials.AccessKeyId, gateway.Credentials.SecretAccessKey, null,
        gateway.Endpoint.Host, gateway.Endpoint.PathStyle, gateway.Endpoint.UseSsl);
}
