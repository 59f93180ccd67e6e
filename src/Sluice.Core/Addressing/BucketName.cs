using System.Net;

namespace Sluice.Core.Addressing;

/// <summary>S3's general-purpose bucket naming rules.</summary>
public static class BucketName
{
    /// <summary>Returns why <paramref name="name"/> is not a valid bucket name, or null when it is.</summary>
    public static string? Problem(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length < 3 || name.Length > 63)
        {
            return "must be 3 to 63 characters long";
        }

        foreach (char ch in name)
        {
            if (!(ch is >= 'a' and <= 'z' or >= '0' and <= '9' or '.' or '-'))
            {
                return "may hold only lower-case letters, digits, '.' and '-'";
            }
        }

        if (!char.IsAsciiLetterOrDigit(name[0]) || !char.IsAsciiLetterOrDigit(name[^1]))
        {
            return "must begin and end with a letter or digit";
        }

        if (name.Contains("..", StringComparison.Ordinal) || name.Contains(".-", StringComparison.Ordinal) || name.Contains("-.", StringComparison.Ordinal))
        {
            return "must not hold '..', '.-' or '-.'";
        }

        if (IPAddress.TryParse(name, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && name.Count(c => c == '.') == 3)
        {
            return "must not be formatted as an IP address";
        }

        if (name.StartsWith("xn--", StringComparison.Ordinal) || name.StartsWith("sthree-", StringComparison.Ordinal)
            || name.EndsWith("-s3alias", StringComparison.Ordinal) || name.EndsWith("--ol-s3", StringComparison.Ordinal))
        {
            return "uses a prefix or suffix S3 reserves";
        }

        return null;
    }
}
