using Sluice.Core.Providers;
using Sluice.Core.Providers.Azure;
using Sluice.IntegrationTests.Azure;

namespace Sluice.IntegrationTests.Providers;

/// <summary>The Azure store on a container of Azurite, through Azure.Storage.Blobs: the same contract as S3's, unchanged.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureObjectStoreTests(AzuriteFixture azurite) : ObjectStoreContract
{
    private readonly AzureObjectStore _store = new(azurite.Container, azurite.Signer, azurite.ServiceUrl);

    protected override IObjectStore Store => _store;

    protected override Task<HttpResponseMessage> FetchAsync(string url) =>
        azurite.Http.GetAsync(new Uri(url, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true }));

    protected override IObjectStore StoreOfMissingBucket() =>
        new AzureObjectStore(azurite.Service.GetBlobContainerClient("sluice-no-such-container-" + Guid.NewGuid().ToString("N")[..8]), azurite.Signer, azurite.ServiceUrl);
}
