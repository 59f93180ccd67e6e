using System.Net;
using Amazon.Runtime;
using Amazon.S3;

namespace Sluice.Core.Providers.S3;

/// <summary>S3's error codes as the seam's <see cref="ObjectStoreFailure"/>s, described in one line for people.</summary>
internal static class S3Failures
{
    /// <param name="upload">The call concerned an upload in parts: a plain 404 then means the upload is gone (RGW says NoSuchKey).</param>
    public static ObjectStoreException Translate(AmazonServiceException exception, bool upload = false)
    {
        string? code = exception.ErrorCode;
        HttpStatusCode status = exception.StatusCode;
        ObjectStoreFailure failure = code switch
        {
            "NoSuchUpload" => ObjectStoreFailure.NoSuchUpload,
            "InvalidPart" or "InvalidPartOrder" or "EntityTooSmall" or "MalformedXML" or "InvalidArgument" => ObjectStoreFailure.Refused,
            "ConditionalRequestConflict" when status == HttpStatusCode.Conflict => ObjectStoreFailure.Conflict,
            _ when status == HttpStatusCode.PreconditionFailed => ObjectStoreFailure.PreconditionFailed,
            _ when status == HttpStatusCode.NotFound && upload && code is not "NoSuchBucket" => ObjectStoreFailure.NoSuchUpload,
            _ when status == HttpStatusCode.NotFound => ObjectStoreFailure.NotFound,
            _ => ObjectStoreFailure.Other,
        };
        return new ObjectStoreException(failure, status == 0 ? null : (int)status, code, Describe(exception), exception);
    }

    /// <summary>A failure on the client's side of the SDK (no answer to translate): the store could not be used.</summary>
    public static ObjectStoreException Translate(AmazonClientException exception) =>
        new(ObjectStoreFailure.Other, null, null, (exception.InnerException is { } inner ? $"{exception.Message} ({inner.Message})" : exception.Message).ReplaceLineEndings(" "), exception);

    private static string Describe(AmazonServiceException exception) => (exception switch
    {
        AmazonS3Exception s3 when string.IsNullOrWhiteSpace(s3.Message) => $"{(int)s3.StatusCode} {s3.ErrorCode}",
        AmazonS3Exception s3 => $"{(int)s3.StatusCode} {s3.ErrorCode}: {s3.Message}",
        _ when exception.InnerException is { } inner => $"{exception.Message} ({inner.Message})",
        _ => exception.Message,
    }).ReplaceLineEndings(" ");
}
