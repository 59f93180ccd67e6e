namespace Sluice.Core.Providers;

/// <summary>What a store's refusal means to the caller, whatever the store's own error code.</summary>
public enum ObjectStoreFailure
{
    /// <summary>Anything else: the store failed or refused for its own reasons.</summary>
    Other,

    /// <summary>No such object (or bucket).</summary>
    NotFound,

    /// <summary>The upload in parts was completed, aborted or never started.</summary>
    NoSuchUpload,

    /// <summary>A conditional request's condition did not hold (If-None-Match, If-Match).</summary>
    PreconditionFailed,

    /// <summary>Another conditional write of the same key is in flight; its outcome decides.</summary>
    Conflict,

    /// <summary>The store refused the request as malformed (a wrong part ETag, parts out of order or too small).</summary>
    Refused,
}

/// <summary>A store's refusal or failure, in one line for people: the status, the store's code and message.</summary>
public sealed class ObjectStoreException(ObjectStoreFailure failure, int? status, string? code, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public ObjectStoreFailure Failure { get; } = failure;

    /// <summary>The HTTP status the store answered, when it answered.</summary>
    public int? Status { get; } = status;

    /// <summary>The store's own error code (S3's <c>AccessDenied</c>, Azure's <c>AuthorizationFailure</c>), when it gave one.</summary>
    public string? Code { get; } = code;
}
