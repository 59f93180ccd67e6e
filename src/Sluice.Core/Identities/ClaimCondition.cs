namespace Sluice.Core.Identities;

/// <summary>
/// One claim a rule asks for: it matches when any of the claim's values (an array claim such as
/// <c>groups</c> has several) equals one of <see cref="Patterns"/>, compared byte for byte, where
/// <c>*</c> in a pattern stands for any run of characters (<c>refs/heads/*</c>).
/// </summary>
public sealed record ClaimCondition(ClaimPath Claim, IReadOnlyList<string> Patterns)
{
    /// <summary>Null when the token's claims match, else what the token has instead.</summary>
    public string? Mismatch(ClaimSet claims)
    {
        IReadOnlyList<string> values = claims.Values(Claim);
        if (values.Count == 0)
        {
            return claims.Has(Claim) ? $"claim '{Claim}' is not text" : $"claim '{Claim}' is missing";
        }

        foreach (string value in values)
        {
            foreach (string pattern in Patterns)
            {
                if (Glob.Matches(pattern, value))
                {
                    return null;
                }
            }
        }

        string had = values.Count == 1 ? $"'{Shown(values[0])}'" : $"[{string.Join(", ", values.Take(5).Select(v => $"'{Shown(v)}'"))}{(values.Count > 5 ? ", ..." : "")}]";
        return $"claim '{Claim}' is {had}, not {string.Join(" or ", Patterns.Select(p => $"'{p}'"))}";
    }

    private static string Shown(string value) => value.Length <= 80 ? value : value[..80] + "...";
}
