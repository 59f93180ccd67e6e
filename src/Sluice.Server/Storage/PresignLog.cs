namespace Sluice.Server.Storage;

/// <summary>Presign events. Neither URLs (they are bearer credentials) nor keys are logged.</summary>
internal static partial class PresignLog
{
    [LoggerMessage(2001, LogLevel.Debug, "Signed a {Method} URL for account {AccountId}, bucket {Bucket}, valid {Seconds}s")]
    public static partial void Signed(ILogger logger, string method, string accountId, string bucket, int seconds);

    [LoggerMessage(2002, LogLevel.Warning, "No credentials for account {AccountId}: {Reason}")]
    public static partial void CredentialsUnavailable(ILogger logger, string accountId, string reason);

    [LoggerMessage(2003, LogLevel.Debug, "Signed {Count} {Method} URLs for account {AccountId}, bucket {Bucket}, valid {Seconds}s")]
    public static partial void SignedBatch(ILogger logger, string method, string accountId, string bucket, int count, int seconds);

    [LoggerMessage(2004, LogLevel.Warning, "A multipart call for account {AccountId}, bucket {Bucket} failed: {Reason}")]
    public static partial void BucketCallFailed(ILogger logger, string accountId, string bucket, string reason);
}
