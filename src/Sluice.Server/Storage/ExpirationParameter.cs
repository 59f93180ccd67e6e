using System.Globalization;
using Sluice.Core.Signing;

namespace Sluice.Server.Storage;

/// <summary>The <c>?expiration=</c> query parameter: whole seconds, 1 to 604800, default 86400.</summary>
public static class ExpirationParameter
{
    public const string Name = "expiration";
    public const int DefaultSeconds = 86_400;

    /// <summary>The seconds asked for; null with <paramref name="problem"/> set when invalid, null without a problem when not given.</summary>
    public static int? Read(IQueryCollection query, out string? problem)
    {
        problem = null;
        if (!query.TryGetValue(Name, out var values))
        {
            return null;
        }

        if (values.Count != 1)
        {
            problem = "must be given once";
            return null;
        }

        if (!int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out int seconds)
            || seconds < 1 || seconds > PresignRequest.MaxExpiresInSeconds)
        {
            problem = $"must be a whole number of seconds from 1 to {PresignRequest.MaxExpiresInSeconds}";
            return null;
        }

        return seconds;
    }
}
