namespace Sluice.Core.Artifacts.Stores;

/// <summary>
/// Secret names follow Kubernetes' rule for object names (a DNS subdomain: lower-case letters,
/// digits, '-' and '.', at most 253, starting and ending with a letter or digit), which also
/// keeps them safe as a directory name under the secrets directory.
/// </summary>
public static class SecretName
{
    public const int MaxLength = 253;

    public static string? Problem(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength)
        {
            return $"must be 1 to {MaxLength} characters";
        }

        foreach (char ch in name)
        {
            if (!(ch is >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '.'))
            {
                return $"may hold only lower-case letters, digits, '-' and '.' (a Kubernetes Secret name; got '{name}')";
            }
        }

        return char.IsAsciiLetterOrDigit(name[0]) && char.IsAsciiLetterOrDigit(name[^1])
            ? null
            : $"must start and end with a letter or digit (got '{name}')";
    }
}
