using Sluice.Core.Transfers;

namespace Sluice.Core.Providers.S3;

/// <summary>
/// The parts of one upload, sent through the store's own S3 client (see <see cref="S3ObjectStore.UploadPartAsync"/>).
/// The SDK retries failed requests itself, so nothing is transient here.
/// </summary>
internal sealed class SdkPartTarget(S3ObjectStore store, string key, string uploadId) : IPartTarget
{
    public bool WantsSha256 => store.WantsSha256;

    public Task<PartReceipt> SendAsync(PartBody part, CancellationToken cancellationToken) => store.UploadPartAsync(key, uploadId, part, cancellationToken);

    public bool IsTransient(Exception failure, CancellationToken cancellationToken) => false;
}
