using Azure.Storage;
using Azure.Storage.Blobs;
using Sluice.Core.Providers.Azure;

namespace Sluice.IntegrationTests.Azure;

/// <summary>
/// The real Azure Blob server of the integration tests: Azurite, which <c>./scripts/test.sh</c>
/// starts on 127.0.0.1 and names in <c>SLUICE_TEST_AZURITE_ENDPOINT</c>
/// (<c>http://127.0.0.1:PORT/devstoreaccount1</c>). Gives Microsoft's client on the well-known
/// emulator account (the independent view of what is stored), our signer on the same key, and
/// one fresh container for the collection. Without the variable every test fails: a missing
/// Azurite is a broken run, never a skipped test.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime, IDisposable
{
    public const string EndpointVariable = "SLUICE_TEST_AZURITE_ENDPOINT";
    public const string Account = "devstoreaccount1";

    /// <summary>Azurite's published key for devstoreaccount1 (its documentation and every Azure SDK's emulator support carry it).</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public AzuriteFixture()
    {
        string endpoint = Environment.GetEnvironmentVariable(EndpointVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{EndpointVariable} is not set. The Azure tests need Azurite: run ./scripts/test.sh, which installs and starts it (npm) and sets the variable.");
        ServiceUrl = new Uri(endpoint.TrimEnd('/') + "/");
        Service = new BlobServiceClient(new Uri(endpoint.TrimEnd('/')), new StorageSharedKeyCredential(Account, AccountKey));
        Signer = new BlobSasSigner(Account, Convert.FromBase64String(AccountKey));
        UrlSigner = new AzureUrlSigner(Signer, ServiceUrl);
        ContainerName = "sluice-it-" + Guid.NewGuid().ToString("N")[..20];
        Container = Service.GetBlobContainerClient(ContainerName);
    }

    /// <summary><c>http://127.0.0.1:PORT/devstoreaccount1/</c>: what a container name follows.</summary>
    public Uri ServiceUrl { get; }

    public BlobServiceClient Service { get; }

    public BlobSasSigner Signer { get; }

    public AzureUrlSigner UrlSigner { get; }

    public string ContainerName { get; }

    public BlobContainerClient Container { get; }

    public HttpClient Http { get; } = new(new SocketsHttpHandler { UseProxy = false });

    public async Task InitializeAsync() => await Container.CreateAsync();

    public async Task DisposeAsync() => await Container.DeleteIfExistsAsync();

    public void Dispose() => Http.Dispose();
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
