using Sluice.Core.Transfers;

namespace Sluice.Core.Providers;

/// <summary>Failures of store calls, whatever the store: which concern one transfer only, and one line for people.</summary>
public static class StoreFailures
{
    /// <summary>Failures that concern one transfer (a file, a chunk) and leave the others worth trying.</summary>
    public static bool IsTransferFailure(Exception exception) =>
        exception is ObjectStoreException or HttpRequestException or IOException or UnauthorizedAccessException or TransferIntegrityException
        || (exception is TaskCanceledException && exception.InnerException is TimeoutException);

    /// <summary>The store's refusal, or a failure to reach it: what went wrong, on one line.</summary>
    public static bool IsStoreFailure(Exception exception, CancellationToken requestAborted) =>
        exception is ObjectStoreException or HttpRequestException or IOException
        || (exception is TaskCanceledException && !requestAborted.IsCancellationRequested);

    public static string Describe(Exception exception)
    {
        string text = exception switch
        {
            ObjectStoreException => exception.Message,
            _ when exception.InnerException is { } inner && !exception.Message.Contains(inner.Message, StringComparison.Ordinal) => $"{exception.Message} ({inner.Message})",
            _ => exception.Message,
        };
        return text.ReplaceLineEndings(" ");
    }
}
