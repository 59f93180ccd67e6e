using Sluice.Core.Access;

namespace Sluice.Core.Identities;

/// <summary>
/// One rule of a trusted issuer: a token whose claims meet every <see cref="Conditions"/> (none:
/// every token of the issuer) gets <see cref="Scope"/>, its claims filled in.
/// </summary>
public sealed record ClaimRule(string Name, IReadOnlyList<ClaimCondition> Conditions, ScopeTemplate Scope, int Line)
{
    /// <summary>The scope this rule grants <paramref name="claims"/>, or null with why it does not apply.</summary>
    public TokenScope? Grant(ClaimSet claims, out string? why)
    {
        foreach (ClaimCondition condition in Conditions)
        {
            if (condition.Mismatch(claims) is { } mismatch)
            {
                why = mismatch;
                return null;
            }
        }

        return Scope.Fill(claims, out why);
    }
}
