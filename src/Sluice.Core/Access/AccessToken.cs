namespace Sluice.Core.Access;

/// <summary>A stored token's public part: its secret exists only as a hash.</summary>
public sealed record AccessToken(string Id, string Name, TokenScope Scope, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt)
{
    /// <summary>Null when the token may be used at <paramref name="now"/>, else why not.</summary>
    public string? Unusable(DateTimeOffset now) =>
        RevokedAt is not null ? "the token was revoked"
        : ExpiresAt is { } expiresAt && expiresAt <= now ? "the token has expired"
        : null;
}
