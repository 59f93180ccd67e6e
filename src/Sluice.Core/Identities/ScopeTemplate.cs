using Sluice.Core.Access;
using Sluice.Core.Accounts;
using Sluice.Core.Addressing;
using Sluice.Core.Providers;

namespace Sluice.Core.Identities;

/// <summary>
/// The scope a rule grants, with the fields a token's scope has; accounts, buckets and prefixes
/// may name claims (<see cref="ClaimTemplate"/>). It is never admin: a workload identity signs
/// URLs, and administration stays with Sluice's own tokens. As for tokens, an empty list allows all.
/// </summary>
public sealed record ScopeTemplate(
    IReadOnlyList<ClaimTemplate> Accounts,
    IReadOnlyList<ClaimTemplate> Buckets,
    IReadOnlyList<ClaimTemplate> Prefixes,
    IReadOnlyList<ObjectMethod> Methods,
    int? MaxExpirationSeconds,
    long? MaxUploadBytes)
{
    /// <summary>The scope for <paramref name="claims"/>, or null with why a value could not be filled in.</summary>
    public TokenScope? Fill(ClaimSet claims, out string? why)
    {
        var accounts = Fill(Accounts, claims, AccountId.Problem, "account", out why);
        var buckets = accounts is null ? null : Fill(Buckets, claims, BucketName.Problem, "bucket", out why);
        var prefixes = buckets is null ? null : Fill(Prefixes, claims, ObjectKey.Problem, "prefix", out why);
        return prefixes is null
            ? null
            : new TokenScope(false, accounts!, buckets!, prefixes, Methods, MaxExpirationSeconds) { MaxUploadBytes = MaxUploadBytes };
    }

    private static List<string>? Fill(IReadOnlyList<ClaimTemplate> templates, ClaimSet claims, Func<string, string?> problem, string what, out string? why)
    {
        var values = new List<string>(templates.Count);
        foreach (ClaimTemplate template in templates)
        {
            if (template.Fill(claims, out why) is not { } value)
            {
                return null;
            }

            if (problem(value) is { } wrong)
            {
                why = $"'{template}' gives the {what} '{value}', which {wrong}";
                return null;
            }

            values.Add(value);
        }

        why = null;
        return values;
    }
}
