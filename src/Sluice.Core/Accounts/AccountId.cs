namespace Sluice.Core.Accounts;

/// <summary>Account ids: <c>[A-Za-z0-9._-]{1,64}</c>, and not <c>.</c> or <c>..</c>, which no URL can carry.</summary>
public static class AccountId
{
    public const int MaxLength = 64;

    public static string? Problem(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > MaxLength)
        {
            return $"must be 1 to {MaxLength} characters";
        }

        foreach (char ch in id)
        {
            if (!(char.IsAsciiLetterOrDigit(ch) || ch is '.' or '_' or '-'))
            {
                return "may hold only letters, digits, '.', '_' and '-'";
            }
        }

        return id is "." or ".." ? "must not be '.' or '..'" : null;
    }
}
