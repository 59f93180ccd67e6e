using Amazon.S3;
using Amazon.S3.Model;
using Sluice.Core.Transfers;

namespace Sluice.Core.Artifacts.S3;

/// <summary>
/// Parts of a push, sent with the store's own S3 client: each with its Content-MD5, the payload
/// unsigned over HTTPS or signed with the SHA-256 the digest pass computed (no second read). The
/// SDK retries failed requests itself, so nothing is transient here.
/// </summary>
internal sealed class SdkPartTarget(IAmazonS3 s3, string bucket, string key, string uploadId, bool unsignedPayload, StoreS3Client? hashTaker) : IPartTarget
{
    public bool WantsSha256 => !unsignedPayload && hashTaker is not null;

    public async Task<PartReceipt> SendAsync(PartBody part, CancellationToken cancellationToken)
    {
        await using Stream content = part.OpenRead();
        var request = new UploadPartRequest
        {
            BucketName = bucket,
            Key = key,
            UploadId = uploadId,
            PartNumber = part.Number,
            InputStream = content,
            PartSize = part.Length,
            MD5Digest = Convert.ToBase64String(part.Digest.Md5),
        };
        if (unsignedPayload)
        {
            request.DisablePayloadSigning = true;
        }
        else if (part.Digest.Sha256Hex is { } sha256)
        {
            hashTaker?.UsePayloadHash(request, sha256);
        }

        UploadPartResponse response = await s3.UploadPartAsync(request, cancellationToken);
        return new PartReceipt(response.ETag, ContentETag.IsContentDigest(response.ServerSideEncryptionMethod));
    }

    public bool IsTransient(Exception failure, CancellationToken cancellationToken) => false;
}
