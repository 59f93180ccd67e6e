namespace Sluice.Server.Audit;

/// <summary>The trail's log events: the mirror of each record (when <c>Sluice:AuditLog</c> is on), and the writer's troubles.</summary>
internal static partial class AuditLog
{
    [LoggerMessage(EventId = 6001, EventName = "Audit", Level = LogLevel.Information,
        Message = "audit {Action} {Outcome} {Status} by {IdentityKind} {Identity} account={Account} bucket={Bucket} key={Key} count={KeyCount} method={Method}")]
    public static partial void Recorded(
        ILogger logger, string action, string outcome, int status, string identityKind, string? identity, string? account, string? bucket, string? key, int? keyCount, string? method);

    [LoggerMessage(EventId = 6002, EventName = "AuditQueueFull", Level = LogLevel.Warning,
        Message = "audit queue full ({Capacity} records waiting for the database): request refused")]
    public static partial void QueueFull(ILogger logger, int capacity);

    [LoggerMessage(EventId = 6003, EventName = "AuditWriteFailed", Level = LogLevel.Warning,
        Message = "could not write {Records} audit records (attempt {Attempt}; kept, tried again): {Reason}")]
    public static partial void WriteFailed(ILogger logger, int records, int attempt, string reason);

    [LoggerMessage(EventId = 6004, EventName = "AuditRecordsLost", Level = LogLevel.Error,
        Message = "stopping with {Records} audit records the database would not take")]
    public static partial void Lost(ILogger logger, int records);

    [LoggerMessage(EventId = 6005, EventName = "AuditPruned", Level = LogLevel.Information,
        Message = "deleted {Records} audit records older than {Cutoff:O}")]
    public static partial void Pruned(ILogger logger, int records, DateTimeOffset cutoff);
}
