using Sluice.Core.Signing;

namespace Sluice.Core.Credentials;

/// <summary>Credentials and the source that gave them (for <c>$check</c> and the logs).</summary>
public sealed record SourcedCredentials(SigningCredentials Credentials, string Source)
{
    public DateTimeOffset? ExpiresAt => Credentials.ExpiresAt;
}
