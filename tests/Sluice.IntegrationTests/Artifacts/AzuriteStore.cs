using System.Text;
using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Sluice.Core.Artifacts;
using Sluice.Core.Artifacts.Stores;
using Sluice.Core.Artifacts.Stores.Connections;
using Sluice.Core.Credentials;
using Sluice.Core.Providers.Azure;
using Sluice.Core.Transfers;
using Sluice.IntegrationTests.Azure;

namespace Sluice.IntegrationTests.Artifacts;

/// <summary>
/// <c>kind: wasb</c> on Azurite's container, seen through Microsoft's client. The secret is a
/// connection string whose <c>BlobEndpoint</c> is Azurite, as an emulator or private endpoint is
/// configured; the store URL names the emulator's account.
/// </summary>
public sealed class AzuriteStore(AzuriteFixture azurite) : StoreUnderTest
{
    public AzuriteFixture Azurite { get; } = azurite;

    public override string Kind => "wasb";

    public override string BucketUrl(string prefix) => $"wasbs://{Azurite.ContainerName}@{AzuriteFixture.Account}.blob.core.windows.net/{prefix}/";

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AzuriteFixture.Account};AccountKey={AzuriteFixture.AccountKey};BlobEndpoint={Azurite.ServiceUrl.AbsoluteUri.TrimEnd('/')};";

    public override Dictionary<string, string> SecretValues() => new() { ["AZURE_CONNECTION_STRING"] = ConnectionString };

    public override async Task<ArtifactClient> ConnectAsync(string prefix, TransferOptions options, string? authority = null)
    {
        var store = new ArtifactStore("it", Azurite.ContainerName, prefix, null, null, 1, new WasbLocation($"{AzuriteFixture.Account}.blob.core.windows.net", Tls: true));
        var endpoint = new UriBuilder(Azurite.ServiceUrl);
        if (authority is not null)
        {
            endpoint.Host = authority[..authority.LastIndexOf(':')];
            endpoint.Port = int.Parse(authority[(authority.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        }

        var connection = new WasbStoreConnection(store, endpoint.Uri, AzuriteFixture.Account, WasbCredential.AccountKey, Convert.FromBase64String(AzuriteFixture.AccountKey), null, "test");
        return await ArtifactClient.ConnectAsync(connection, options, CredentialEnvironment.Process, CancellationToken.None);
    }

    public override async Task<Dictionary<string, (long Size, string ETag)>> ListAsync(string prefix)
    {
        var found = new Dictionary<string, (long, string)>(StringComparer.Ordinal);
        await foreach (BlobItem item in Azurite.Container.GetBlobsAsync(BlobTraits.Metadata, BlobStates.None, prefix, CancellationToken.None))
        {
            // A blob committed from parts keeps S3's multipart ETag in its metadata; one written whole has its Content-MD5.
            string etag = item.Metadata.TryGetValue("sluiceetag", out string? multipart)
                ? $"\"{multipart}\""
                : $"\"{Convert.ToHexStringLower(item.Properties.ContentHash ?? [])}\"";
            found.Add(item.Name[prefix.Length..], (item.Properties.ContentLength ?? 0, etag));
        }

        return found;
    }

    public override async Task<List<OpenUpload>> UploadsInProgressAsync(string prefix)
    {
        var uploads = new List<OpenUpload>();
        await foreach (BlobItem marker in Azurite.Container.GetBlobsAsync(BlobTraits.Metadata, BlobStates.None, AzureObjectStore.UploadMarkers, CancellationToken.None))
        {
            string key = Encoding.UTF8.GetString(Convert.FromBase64String(marker.Metadata["sluicekey"]));
            if (key.StartsWith(prefix, StringComparison.Ordinal))
            {
                uploads.Add(new OpenUpload(key, marker.Name[AzureObjectStore.UploadMarkers.Length..]));
            }
        }

        return uploads;
    }

    public override async Task<int> PartsInProgressAsync(OpenUpload upload)
    {
        try
        {
            BlockList blocks = (await Azurite.Container.GetBlockBlobClient(upload.Key).GetBlockListAsync(BlockListTypes.Uncommitted)).Value;
            return blocks.UncommittedBlocks.Count(b => Encoding.ASCII.GetString(Convert.FromBase64String(b.Name)).StartsWith(upload.UploadId + "-", StringComparison.Ordinal));
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return 0;
        }
    }

    public override async Task<bool> ExistsAsync(string key) => (await Azurite.Container.GetBlobClient(key).ExistsAsync()).Value;

    public override async Task<string> ReadTextAsync(string key) => (await Azurite.Container.GetBlobClient(key).DownloadContentAsync()).Value.Content.ToString();

    public override Task WriteTextAsync(string key, string text) =>
        Azurite.Container.GetBlobClient(key).UploadAsync(BinaryData.FromString(text), overwrite: true);

    public override async Task DeleteAllAsync(string prefix)
    {
        var names = new List<string>();
        await foreach (BlobItem item in Azurite.Container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, CancellationToken.None))
        {
            names.Add(item.Name);
        }

        names.AddRange((await UploadsInProgressAsync(prefix)).Select(u => AzureObjectStore.UploadMarkers + u.UploadId));
        await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (name, _) => await Azurite.Container.GetBlobClient(name).DeleteIfExistsAsync());
    }
}
