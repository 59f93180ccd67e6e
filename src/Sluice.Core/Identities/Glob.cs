namespace Sluice.Core.Identities;

/// <summary>Patterns where <c>*</c> stands for any run of characters (none included) and everything else is itself.</summary>
public static class Glob
{
    public static bool Matches(string pattern, string value)
    {
        if (!pattern.Contains('*'))
        {
            return pattern.Equals(value, StringComparison.Ordinal);
        }

        // Greedy with one backtrack point: the classic linear-time wildcard match.
        int p = 0, v = 0, star = -1, resume = 0;
        while (v < value.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = v;
            }
            else if (p < pattern.Length && pattern[p] == value[v])
            {
                p++;
                v++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                v = ++resume;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
