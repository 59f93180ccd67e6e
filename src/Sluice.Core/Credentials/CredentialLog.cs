using Microsoft.Extensions.Logging;

namespace Sluice.Core.Credentials;

/// <summary>Credential refresh events: the source and the expiry, never a key.</summary>
internal static partial class CredentialLog
{
    [LoggerMessage(3001, LogLevel.Information, "Credentials from {Source} refreshed, expiring {ExpiresAt}")]
    public static partial void Refreshed(ILogger logger, string source, DateTimeOffset? expiresAt);

    [LoggerMessage(3002, LogLevel.Warning, "Credential refresh failed (attempt {Attempt} of {Attempts}): {Reason}")]
    public static partial void RefreshFailed(ILogger logger, int attempt, int attempts, string reason);
}
