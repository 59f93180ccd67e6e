using System.Globalization;

namespace Sluice.Server.Storage;

/// <summary>
/// The <c>partNumbers</c> parameter: part numbers and ranges, <c>1,2,5-8</c>, each 1 to 10,000, in
/// any order; the parts are signed ascending, each once.
/// </summary>
public static class PartNumbers
{
    public const int Max = 10_000;

    /// <summary>The sorted distinct part numbers, or null with <paramref name="problem"/> set.</summary>
    public static IReadOnlyList<int>? Parse(string? text, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            problem = "must list part numbers, e.g. 1,2,5-8";
            return null;
        }

        var parts = new SortedSet<int>();
        foreach (string item in text.Split(','))
        {
            string[] bounds = item.Trim().Split('-');
            if (bounds.Length > 2 || !TryPart(bounds[0], out int first) || !TryPart(bounds[^1], out int last) || last < first)
            {
                problem = $"'{item.Trim()}' is not a part number or range of 1 to {Max} (e.g. 1,2,5-8)";
                return null;
            }

            for (int n = first; n <= last; n++)
            {
                parts.Add(n);
            }
        }

        return [.. parts];
    }

    private static bool TryPart(string text, out int part) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out part) && part is >= 1 and <= Max;
}
