using Amazon.S3;
using Amazon.S3.Model;
using Sluice.Core.Transfers;

namespace Sluice.Core.Artifacts.S3;

/// <summary>GetObject through the AWS SDK: for a client the caller made (tests, other stores).</summary>
internal sealed class SdkObjectFetcher(IAmazonS3 s3, string bucket) : IObjectFetcher
{
    public async Task<FetchedObject> FetchAsync(string key, (long First, long Last)? range, string? ifMatch, CancellationToken cancellationToken)
    {
        var request = new GetObjectRequest { BucketName = bucket, Key = key, EtagToMatch = ifMatch };
        if (range is var (first, last))
        {
            request.ByteRange = new ByteRange(first, last);
        }

        GetObjectResponse response = await s3.GetObjectAsync(request, cancellationToken);
        return new FetchedObject(
            response.ResponseStream, response.ContentLength, ContentETag.Normalize(response.ETag), ContentETag.IsContentDigest(response.ServerSideEncryptionMethod), response);
    }
}
