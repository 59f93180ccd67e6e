namespace Sluice.Core.Artifacts.Plx;

/// <summary>
/// The rows of Polyaxon's <c>.plx</c> files: fields separated by '|', one row a line, a header
/// row first. Only the last field may hold a '|' of its own (a log line's JSON, an event's
/// value), so a row is cut at its first separators only.
/// </summary>
public static class PlxRow
{
    public const char Separator = '|';

    /// <summary>Cuts the row into as many fields as <paramref name="fields"/> holds, the last taking the rest of the row; false when it has fewer.</summary>
    public static bool TrySplit(string row, Span<Range> fields)
    {
        int start = 0;
        for (int i = 0; i < fields.Length - 1; i++)
        {
            int end = row.IndexOf(Separator, start);
            if (end < 0)
            {
                return false;
            }

            fields[i] = start..end;
            start = end + 1;
        }

        fields[^1] = start..row.Length;
        return true;
    }

    /// <summary>The lines of a file that hold rows: not empty, '\r' taken off, and the header skipped when it is the first.</summary>
    public static IEnumerable<string> Rows(string content, string header)
    {
        bool first = true;
        foreach (string raw in content.Split('\n'))
        {
            string line = raw.EndsWith('\r') ? raw[..^1] : raw;
            if (line.Length == 0)
            {
                continue;
            }

            if (first && line == header)
            {
                first = false;
                continue;
            }

            first = false;
            yield return line;
        }
    }

    /// <summary>Why a value cannot be a field before the last one (a node, pod or container name), or null.</summary>
    public static string? FieldProblem(string value)
    {
        foreach (char ch in value)
        {
            if (ch == Separator)
            {
                return "must not contain '|', the .plx field separator";
            }

            if (char.IsControl(ch))
            {
                return "must not contain control characters";
            }
        }

        return null;
    }
}
