using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Sluice.Core.Artifacts.S3;

/// <summary>The paged S3 listings and lookups the transfers share, and one-line descriptions of their failures.</summary>
public static class S3Calls
{
    public static async Task<List<S3Object>> ListObjectsAsync(IAmazonS3 s3, string bucket, string prefix, CancellationToken cancellationToken)
    {
        var objects = new List<S3Object>();
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = prefix, MaxKeys = 1000 };
        ListObjectsV2Response page;
        do
        {
            page = await s3.ListObjectsV2Async(request, cancellationToken);
            objects.AddRange(page.S3Objects ?? []);
            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true && !string.IsNullOrEmpty(page.NextContinuationToken));

        return objects;
    }

    /// <summary>Multipart uploads started under <paramref name="prefix"/> and neither completed nor aborted.</summary>
    public static async Task<List<MultipartUpload>> ListUploadsAsync(IAmazonS3 s3, string bucket, string prefix, CancellationToken cancellationToken)
    {
        var uploads = new List<MultipartUpload>();
        var request = new ListMultipartUploadsRequest { BucketName = bucket, Prefix = prefix };
        ListMultipartUploadsResponse page;
        do
        {
            page = await s3.ListMultipartUploadsAsync(request, cancellationToken);
            uploads.AddRange(page.MultipartUploads ?? []);
            request.KeyMarker = page.NextKeyMarker;
            request.UploadIdMarker = page.NextUploadIdMarker;
        }
        while (page.IsTruncated == true && !string.IsNullOrEmpty(page.NextKeyMarker));

        return uploads;
    }

    public static async Task<List<PartDetail>> ListPartsAsync(IAmazonS3 s3, string bucket, string key, string uploadId, CancellationToken cancellationToken)
    {
        var parts = new List<PartDetail>();
        var request = new ListPartsRequest { BucketName = bucket, Key = key, UploadId = uploadId };
        ListPartsResponse page;
        do
        {
            page = await s3.ListPartsAsync(request, cancellationToken);
            parts.AddRange(page.Parts ?? []);
            request.PartNumberMarker = page.NextPartNumberMarker?.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        while (page.IsTruncated == true && page.NextPartNumberMarker is > 0);

        return parts;
    }

    /// <summary>The object's size and ETag, or null when there is none.</summary>
    public static async Task<(long Size, string ETag)?> HeadAsync(IAmazonS3 s3, string bucket, string key, CancellationToken cancellationToken)
    {
        try
        {
            var response = await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = key }, cancellationToken);
            return (response.ContentLength, response.ETag ?? "");
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Best effort: the upload's parts are freed; a failure here leaves it for the next push or rm to clean up.</summary>
    public static async Task AbortQuietlyAsync(IAmazonS3 s3, string bucket, string key, string uploadId)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = uploadId }, timeout.Token);
        }
        catch (Exception e) when (e is AmazonServiceException or HttpRequestException or OperationCanceledException or IOException)
        {
        }
    }

    public static string Describe(Exception exception) => S3Errors.Describe(exception);

    /// <summary>Failures that concern one file and leave the others worth trying.</summary>
    public static bool IsTransferFailure(Exception exception) => S3Errors.IsTransferFailure(exception);
}
