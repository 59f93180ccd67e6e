namespace Sluice.Core.Artifacts.Stores;

/// <summary>Store names: <c>[A-Za-z0-9._-]{1,64}</c>, not <c>.</c> or <c>..</c> (they appear in URLs and paths).</summary>
public static class StoreName
{
    public const int MaxLength = 64;

    public static string? Problem(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength)
        {
            return $"must be 1 to {MaxLength} characters";
        }

        foreach (char ch in name)
        {
            if (!(char.IsAsciiLetterOrDigit(ch) || ch is '.' or '_' or '-'))
            {
                return $"may hold only letters, digits, '.', '_' and '-' (got '{name}')";
            }
        }

        return name is "." or ".." ? "must not be '.' or '..'" : null;
    }
}
