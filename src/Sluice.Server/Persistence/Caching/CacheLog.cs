namespace Sluice.Server.Persistence.Caching;

internal static partial class CacheLog
{
    [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "Following database changes: {Tokens} tokens and {Accounts} accounts cached")]
    public static partial void ListenerConnected(ILogger logger, int tokens, int accounts);

    [LoggerMessage(EventId = 41, Level = LogLevel.Warning, Message = "Lost the database ({Error}: {Reason}); cached tokens and accounts serve for up to {MaxStalenessSeconds} s while reconnecting")]
    public static partial void ListenerLost(ILogger logger, string error, string reason, double maxStalenessSeconds);

    [LoggerMessage(EventId = 42, Level = LogLevel.Warning, Message = "A change announcement was missed (applied {Applied}, database at {Version}); reloading the cache")]
    public static partial void AnnouncementMissed(ILogger logger, long applied, long version);
}
