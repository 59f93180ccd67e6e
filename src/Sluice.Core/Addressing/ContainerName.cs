namespace Sluice.Core.Addressing;

/// <summary>Azure Blob Storage's container naming rules (3–63 of a–z, 0–9 and single hyphens, a letter or digit at each end).</summary>
public static class ContainerName
{
    /// <summary>Returns why <paramref name="name"/> is not a valid container name, or null when it is.</summary>
    public static string? Problem(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length < 3 || name.Length > 63)
        {
            return "must be 3 to 63 characters long";
        }

        foreach (char ch in name)
        {
            if (!(ch is >= 'a' and <= 'z' or >= '0' and <= '9' or '-'))
            {
                return "may hold only lower-case letters, digits and '-'";
            }
        }

        if (name[0] == '-' || name[^1] == '-')
        {
            return "must begin and end with a letter or digit";
        }

        return name.Contains("--", StringComparison.Ordinal) ? "must not hold two hyphens in a row" : null;
    }
}
