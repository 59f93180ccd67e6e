using Sluice.Core.Access;

namespace Sluice.Core.Identities;

/// <summary>
/// An OpenID Connect issuer whose tokens Sluice accepts: <see cref="Issuer"/> is the tokens'
/// <c>iss</c> and where its discovery document and keys are found (unless <see cref="DiscoveryUrl"/>
/// says otherwise); a token must be for one of <see cref="Audiences"/>, and is then given the scope
/// of the first of <see cref="Rules"/> it meets, in order.
/// </summary>
public sealed record TrustedIssuer(
    string Issuer,
    IReadOnlyList<string> Audiences,
    TimeSpan ClockSkew,
    TimeSpan KeyRefreshInterval,
    Uri DiscoveryUrl,
    IReadOnlyList<ClaimRule> Rules,
    int Line)
{
    public static readonly TimeSpan DefaultClockSkew = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan DefaultKeyRefreshInterval = TimeSpan.FromSeconds(60);

    /// <summary>The first rule <paramref name="claims"/> meet, and the scope it grants; or, when none does, why not, rule by rule.</summary>
    public IdentityGrant Grant(ClaimSet claims)
    {
        var reasons = new List<string>(Rules.Count);
        foreach (ClaimRule rule in Rules)
        {
            if (rule.Grant(claims, out string? why) is { } scope)
            {
                return new IdentityGrant(rule.Name, scope, null);
            }

            reasons.Add($"rule '{rule.Name}': {why}");
        }

        return new IdentityGrant(null, null, $"no rule for tokens of {Issuer} matches this one ({string.Join("; ", reasons)})");
    }
}

/// <summary>What a rule granted (<see cref="Rule"/> and <see cref="Scope"/>), or why no rule did (<see cref="Refusal"/>).</summary>
public sealed record IdentityGrant(string? Rule, TokenScope? Scope, string? Refusal);
