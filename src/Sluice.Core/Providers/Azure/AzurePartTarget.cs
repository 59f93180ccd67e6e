using Azure;
using Azure.Storage;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Sluice.Core.Transfers;

namespace Sluice.Core.Providers.Azure;

/// <summary>
/// The parts of one upload as blocks of the blob: each staged with its MD5 (the service refuses a
/// block whose bytes do not match it) under an id that names the upload, the part and that MD5.
/// </summary>
internal sealed class AzurePartTarget(BlockBlobClient blob, string uploadId) : IPartTarget
{
    public bool WantsSha256 => false;

    public async Task<PartReceipt> SendAsync(PartBody part, CancellationToken cancellationToken)
    {
        await using Stream bytes = part.OpenRead();
        try
        {
            await blob.StageBlockAsync(
                BlockIds.For(uploadId, part.Number, part.Digest.Md5),
                bytes,
                new BlockBlobStageBlockOptions
                {
                    TransferValidation = new UploadTransferValidationOptions { ChecksumAlgorithm = StorageChecksumAlgorithm.MD5, PrecalculatedChecksum = part.Digest.Md5 },
                },
                cancellationToken);
        }
        catch (RequestFailedException e)
        {
            throw AzureFailures.Translate(e);
        }

        return new PartReceipt("\"" + Convert.ToHexStringLower(part.Digest.Md5) + "\"", ETagIsContentDigest: true);
    }

    /// <summary>The SDK's pipeline retries by itself; another round here would multiply its attempts.</summary>
    public bool IsTransient(Exception failure, CancellationToken cancellationToken) => false;
}
