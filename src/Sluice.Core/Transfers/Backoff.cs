using System.Net;

namespace Sluice.Core.Transfers;

/// <summary>
/// How often and how patiently a failed request is tried again: five attempts in all, waiting
/// 0.5, 1, 2 and 4 s (with jitter, so parallel parts do not retry in step).
/// </summary>
public static class Backoff
{
    public const int MaxAttempts = 5;

    /// <summary>Answers worth waiting for: throttling, timeouts and the server's or bucket's own failures.</summary>
    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || ((int)status >= 500 && status != HttpStatusCode.NotImplemented);

    /// <summary>Failures of the connection itself (not the caller's cancellation).</summary>
    public static bool IsTransient(Exception e, CancellationToken cancellationToken) =>
        e is HttpRequestException or IOException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested);

    public static Task WaitAsync(int attempt, CancellationToken cancellationToken)
    {
        double seconds = 0.5 * Math.Pow(2, attempt - 1) * (0.75 + (Random.Shared.NextDouble() / 2));
        return Task.Delay(TimeSpan.FromSeconds(seconds), cancellationToken);
    }
}
