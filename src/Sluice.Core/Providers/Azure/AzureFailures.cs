using Azure;

namespace Sluice.Core.Providers.Azure;

/// <summary>Azure's error codes as the seam's <see cref="ObjectStoreFailure"/>s, described in one line for people.</summary>
internal static class AzureFailures
{
    public static ObjectStoreException Translate(RequestFailedException exception)
    {
        string? code = exception.ErrorCode;
        ObjectStoreFailure failure = (exception.Status, code) switch
        {
            (412, _) or (409, "BlobAlreadyExists") => ObjectStoreFailure.PreconditionFailed,
            (400, "InvalidBlockList" or "InvalidBlockId") => ObjectStoreFailure.Refused,
            (404, _) => ObjectStoreFailure.NotFound,
            _ => ObjectStoreFailure.Other,
        };
        return new ObjectStoreException(failure, exception.Status == 0 ? null : exception.Status, code, Describe(exception), exception);
    }

    /// <summary>The status, the code and the first line of the service's message (the SDK appends headers and content after it).</summary>
    private static string Describe(RequestFailedException exception)
    {
        string message = exception.Message;
        int end = message.IndexOfAny(['\r', '\n']);
        string first = end < 0 ? message : message[..end];
        return exception.Status == 0 ? first : $"{exception.Status} {exception.ErrorCode}: {first}";
    }
}
