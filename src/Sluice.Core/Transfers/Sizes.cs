using System.Globalization;

namespace Sluice.Core.Transfers;

/// <summary>Byte counts for people (1024-based: B, KiB, MiB, GiB, TiB) and parsed back from options like <c>16MiB</c>.</summary>
public static class Sizes
{
    private static readonly string[] Units = ["B", "KiB", "MiB", "GiB", "TiB"];

    public static string Format(long bytes)
    {
        if (bytes < 1024)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{bytes} B");
        }

        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{value:0.0} {Units[unit]}");
    }

    /// <summary>Parses <c>16MiB</c>, <c>16M</c>, <c>8388608</c>, <c>1GiB</c> (units are 1024-based, case-insensitive).</summary>
    public static bool TryParse(string? text, out long bytes)
    {
        bytes = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        string value = text.Trim();
        int split = 0;
        while (split < value.Length && char.IsAsciiDigit(value[split]))
        {
            split++;
        }

        if (split == 0 || !long.TryParse(value.AsSpan(0, split), NumberStyles.None, CultureInfo.InvariantCulture, out long number))
        {
            return false;
        }

        long multiplier = value[split..].Trim().ToLowerInvariant() switch
        {
            "" or "b" => 1,
            "k" or "kb" or "kib" => 1024,
            "m" or "mb" or "mib" => 1024 * 1024,
            "g" or "gb" or "gib" => 1024L * 1024 * 1024,
            _ => 0,
        };
        if (multiplier == 0 || number > long.MaxValue / multiplier)
        {
            return false;
        }

        bytes = number * multiplier;
        return true;
    }
}
