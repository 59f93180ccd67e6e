namespace Sluice.Server.Persistence.Caching;

internal static partial class CacheLog
{
    [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "Following database changes: {Tokens} tokens and {Accounts} accounts cached")]
    public static partial void ListenerConnected(ILogger logger, int tokens, int accounts);

    [LoggerMessage(EventId = 41, Level = LogLevel.Warning, Message = "Lost the database ({Error}: {Reason}); cached tokens and accounts serve for up to {MaxStalenessSeconds} s while reconnecting")]
    public static partial void ListenerLost(ILogger logger, string error, string reason, double maxStalenessSeconds);

    [LoggerMessage(EventId = 42, Level = LogLevel.Warning, Message = "A change announcement was missed (applied {Applied}, database at {Version}); reloading the cache")]
    public static partial void AnnouncementMissed(ILogger logger, long applied, long version);

    [LoggerMessage(EventId = 43, Level = LogLevel.Warning, Message = "{Behind} other instance(s) had not confirmed change {Version} after {LimitSeconds} s; the write is acknowledged anyway, and they apply it when they hear of it or reconnect")]
    public static partial void InstancesBehind(ILogger logger, int behind, long version, double limitSeconds);
}
