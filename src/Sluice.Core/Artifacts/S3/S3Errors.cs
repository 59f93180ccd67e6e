using Amazon.Runtime;
using Amazon.S3;
using Sluice.Core.Transfers;

namespace Sluice.Core.Artifacts.S3;

/// <summary>Failures of S3 calls in one line for people: the status, S3's error code and message, or the transport's.</summary>
public static class S3Errors
{
    /// <summary>Failures that concern one transfer (a file, a chunk) and leave the others worth trying.</summary>
    public static bool IsTransferFailure(Exception exception) =>
        exception is AmazonServiceException or HttpRequestException or IOException or UnauthorizedAccessException or TransferIntegrityException
        || (exception is TaskCanceledException && exception.InnerException is TimeoutException);

    public static string Describe(Exception exception)
    {
        string text = exception switch
        {
            AmazonS3Exception s3 when string.IsNullOrWhiteSpace(s3.Message) => $"{(int)s3.StatusCode} {s3.ErrorCode}",
            AmazonS3Exception s3 => $"{(int)s3.StatusCode} {s3.ErrorCode}: {s3.Message}",
            AmazonServiceException service when service.InnerException is { } inner => $"{service.Message} ({inner.Message})",
            _ when exception.InnerException is { } inner && !exception.Message.Contains(inner.Message, StringComparison.Ordinal) => $"{exception.Message} ({inner.Message})",
            _ => exception.Message,
        };
        return text.ReplaceLineEndings(" ");
    }
}
