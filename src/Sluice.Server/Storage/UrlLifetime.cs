using Sluice.Server.Problems;

namespace Sluice.Server.Storage;

/// <summary>
/// When a URL signed now starts and how long it lives. A URL dies with the temporary session that
/// signed it, so its life is cut to the session's and <see cref="Note"/> says so rather than
/// promise more; with the session already over, there is nothing to sign (<see cref="Problem"/>).
/// </summary>
public readonly record struct UrlLifetime(DateTimeOffset SignedAt, int Seconds, string? Note, IResult? Problem)
{
    public DateTime ExpiresAt => SignedAt.AddSeconds(Seconds).UtcDateTime;

    /// <param name="ownerKind">What the credentials belong to, for the message: <c>account</c> or <c>store</c>.</param>
    public static UrlLifetime Fit(DateTimeOffset now, int requestedSeconds, DateTimeOffset? credentialsEnd, string ownerKind, string ownerName)
    {
        // X-Amz-Date has whole seconds: the URL's validity starts there.
        var signedAt = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        if (credentialsEnd is not { } end || end >= signedAt.AddSeconds(requestedSeconds))
        {
            return new UrlLifetime(signedAt, requestedSeconds, null, null);
        }

        int remaining = (int)Math.Floor((end - signedAt).TotalSeconds);
        if (remaining < 1)
        {
            return new UrlLifetime(signedAt, 0, null,
                ProblemResults.Status(StatusCodes.Status503ServiceUnavailable, "Credentials expired", $"The credentials for {ownerKind} '{ownerName}' have expired."));
        }

        return new UrlLifetime(signedAt, remaining, $"expiration shortened from {requestedSeconds} to {remaining} seconds: the temporary credentials that signed this URL expire at {end:O}", null);
    }
}
