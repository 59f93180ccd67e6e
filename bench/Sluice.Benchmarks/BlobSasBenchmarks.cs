using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;
using BenchmarkDotNet.Attributes;
using Sluice.Core.Providers.Azure;

namespace Sluice.Benchmarks;

/// <summary>
/// One blob SAS URL for a GET, ours against Azure.Storage.Blobs' <c>BlobSasBuilder</c> on a
/// <c>BlobClient</c> (the baseline: what an application using the SDK does for each URL), for the
/// same container, blob, key and expiry: a service SAS (account key) and a user delegation SAS.
/// Time and bytes allocated per URL.
/// </summary>
[MemoryDiagnoser]
public class BlobSasBenchmarks
{
    private const string Account = "sluicebench";
    private const string Container = "artifacts";
    private const string Blob = "runs/run-42/outputs/model checkpoint (final).bin";
    private static readonly string Key = Convert.ToBase64String(Enumerable.Range(0, 64).Select(i => (byte)(i * 7)).ToArray());

    private BlobSasSigner _signer = null!;
    private BlobClient _sdkBlob = null!;
    private UserDelegationKey _sdkDelegation = null!;
    private BlobSasSigner _delegationSigner = null!;
    private Uri _service = null!;

    [GlobalSetup]
    public void Setup()
    {
        _service = new Uri($"https://{Account}.blob.core.windows.net/");
        _signer = new BlobSasSigner(Account, Convert.FromBase64String(Key));
        _sdkBlob = new BlobContainerClient(new Uri(_service, Container), new StorageSharedKeyCredential(Account, Key)).GetBlobClient(Blob);
        var start = DateTimeOffset.UtcNow.AddMinutes(-5);
        var delegation = new DelegationKey(Guid.NewGuid().ToString(), Guid.NewGuid().ToString(), start, start.AddDays(1), "b", BlobSasSigner.Version, Convert.FromBase64String(Key));
        _delegationSigner = new BlobSasSigner(Account, delegation);
        _sdkDelegation = BlobsModelFactory.UserDelegationKey(delegation.ObjectId, delegation.TenantId, delegation.StartsOn, delegation.ExpiresOn, "b", BlobSasSigner.Version, Key);
    }

    [Benchmark(Baseline = true, Description = "Azure.Storage.Blobs BlobClient.GenerateSasUri")]
    public Uri Sdk() => _sdkBlob.GenerateSasUri(BlobSasPermissions.Read, DateTimeOffset.UtcNow.AddHours(1));

    [Benchmark(Description = "Sluice BlobSasSigner.Url")]
    public string Sluice() => _signer.Url(_service.AbsoluteUri, Container, Blob, SasPermissions.Read, DateTimeOffset.UtcNow.AddHours(1), protocol: Core.Providers.Azure.SasProtocol.Https);

    [Benchmark(Description = "Azure.Storage.Blobs user delegation SAS (BlobSasBuilder + BlobUriBuilder)")]
    public Uri SdkDelegation()
    {
        var builder = new BlobSasBuilder(BlobSasPermissions.Read, DateTimeOffset.UtcNow.AddHours(1)) { BlobContainerName = Container, BlobName = Blob, Resource = "b", Protocol = Azure.Storage.Sas.SasProtocol.Https };
        return new BlobUriBuilder(_sdkBlob.Uri) { Sas = builder.ToSasQueryParameters(_sdkDelegation, Account) }.ToUri();
    }

    [Benchmark(Description = "Sluice user delegation SAS")]
    public string SluiceDelegation() =>
        _delegationSigner.Url(_service.AbsoluteUri, Container, Blob, SasPermissions.Read, DateTimeOffset.UtcNow.AddHours(1), protocol: Core.Providers.Azure.SasProtocol.Https);
}
