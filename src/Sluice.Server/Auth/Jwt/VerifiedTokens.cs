using System.Collections.Concurrent;
using System.Security.Claims;

namespace Sluice.Server.Auth.Jwt;

/// <summary>
/// JWTs already verified and granted a scope, kept until they expire (at most
/// <see cref="MaxAge"/>): a workload sends the same token with every request for its whole life,
/// and checking its RSA signature and claims each time would cost more than the signing it asks
/// for. Only a token that passed every check and met a rule is kept, under its exact text; what it
/// was granted cannot change meanwhile (the rules are read at start). Bounded: past
/// <see cref="Capacity"/> tokens, expired ones are dropped, and if that is not enough, all of them.
/// </summary>
public sealed class VerifiedTokens(TimeProvider time)
{
    public const int Capacity = 10_000;

    /// <summary>How long a verified token is trusted without being checked again: as long as the keys it was checked with may be cached.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, Verified> _tokens = new(StringComparer.Ordinal);

    public int Count => _tokens.Count;

    /// <summary>The verified token <paramref name="bearer"/>, if it is kept and still valid now.</summary>
    public Verified? Find(string bearer)
    {
        if (!_tokens.TryGetValue(bearer, out Verified? verified))
        {
            return null;
        }

        if (verified.Until > time.GetUtcNow())
        {
            return verified;
        }

        _tokens.TryRemove(new KeyValuePair<string, Verified>(bearer, verified));
        return null;
    }

    /// <summary>Keeps <paramref name="bearer"/>, verified for <paramref name="scheme"/>, until <paramref name="expires"/> or <see cref="MaxAge"/> from now.</summary>
    public void Keep(string bearer, string scheme, Caller caller, ClaimsPrincipal principal, DateTimeOffset expires)
    {
        DateTimeOffset now = time.GetUtcNow();
        DateTimeOffset until = expires < now + MaxAge ? expires : now + MaxAge;
        if (until <= now)
        {
            return;
        }

        if (_tokens.Count >= Capacity)
        {
            foreach (var (token, kept) in _tokens)
            {
                if (kept.Until <= now)
                {
                    _tokens.TryRemove(new KeyValuePair<string, Verified>(token, kept));
                }
            }

            if (_tokens.Count >= Capacity)
            {
                _tokens.Clear();
            }
        }

        _tokens[bearer] = new Verified(scheme, caller, principal, until);
    }

    public sealed record Verified(string Scheme, Caller Caller, ClaimsPrincipal Principal, DateTimeOffset Until);
}
