using Microsoft.AspNetCore.Diagnostics;
using Sluice.Server.Persistence;

namespace Sluice.Server.Problems;

/// <summary>
/// A request that needed the database while it cannot be reached gets a 503 with
/// <c>Retry-After</c> and a problem body, not a 500: the fault is passing, and the client's to
/// wait out. Other exceptions are left to the default handler.
/// </summary>
internal sealed partial class DatabaseUnavailableHandler(ILogger<DatabaseUnavailableHandler> logger, TimeProvider time) : IExceptionHandler
{
    public const int RetryAfterSeconds = 2;

    // During an outage every request may land here: one line a second, with how many it stands for,
    // rather than a line each (a console logger whose queue fills blocks the requests that log).
    private static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(1);
    private long _loggedAt = long.MinValue;
    private int _unlogged;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (!DatabaseFailures.IsUnavailable(exception) || context.Response.HasStarted)
        {
            return false;
        }

        // The exception's own words stay in the log: they may name hosts the client need not know.
        long now = time.GetTimestamp();
        long loggedAt = Interlocked.Read(ref _loggedAt);
        if ((loggedAt == long.MinValue || time.GetElapsedTime(loggedAt, now) >= LogInterval) && Interlocked.CompareExchange(ref _loggedAt, now, loggedAt) == loggedAt)
        {
            Unavailable(logger, context.Request.Method, context.Request.Path, exception.GetType().Name, exception.Message, Interlocked.Exchange(ref _unlogged, 0));
        }
        else
        {
            Interlocked.Increment(ref _unlogged);
        }

        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string detail = exception is DatabaseUnavailableException unavailable
            ? $"This request needs the database: {unavailable.Message}. Retry in a few seconds."
            : "This request needs the database, which cannot be reached now. Retry in a few seconds.";
        await Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Database unavailable", detail: detail).ExecuteAsync(context);
        return true;
    }

    [LoggerMessage(EventId = 50, Level = LogLevel.Warning, Message = "{Method} {Path} answered 503: the database is unavailable ({Error}: {Reason}); {Unlogged} more 503s since the last such line")]
    private static partial void Unavailable(ILogger logger, string method, string path, string error, string reason, int unlogged);
}
