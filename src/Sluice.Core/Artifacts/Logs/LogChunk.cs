using System.Text;
using System.Text.Json;
using Sluice.Core.Artifacts.Plx;
using Sluice.Core.Artifacts.Runs;

namespace Sluice.Core.Artifacts.Logs;

/// <summary>
/// A file of a run's log, in the layout Polyaxon's agents and UI read (traceml's <c>V1Logs</c>,
/// haupt's <c>upload_logs</c>): <c>plxlogs/&lt;POSIX time of the last line&gt;.plx</c>, the header
/// <c>timestamp|node|pod|container|value</c>, then a row for each line (<see cref="LogLine"/>; see <see cref="Encode"/>),
/// at most <see cref="MaxLines"/> lines. Also read: Polyaxon's legacy JSON chunks
/// (<c>plxlogs/&lt;time&gt;</c>, <c>{"logs": [...]}</c>), the files its sidecar keeps rewriting
/// while a run is going (<c>.tmpplxlogs/&lt;pod&gt;[.plx]</c>), and Sluice's earlier JSON-lines
/// chunks (<c>logs/&lt;stream&gt;/00000001.jsonl</c>).
/// </summary>
public static class LogChunk
{
    public const string Directory = RunSection.PlxLogs;
    public const string TemporaryDirectory = ".tmpplxlogs";
    public const string LegacyDirectory = RunSection.Logs;
    public const string Extension = ".plx";
    public const string LegacyExtension = ".jsonl";
    public const string Header = "timestamp|node|pod|container|value";
    public const int MaxLines = 2000;

    /// <summary>The name of a chunk whose last line is at <paramref name="last"/>: Python's <c>datetime.timestamp()</c> of it, and <c>.plx</c>.</summary>
    public static string NameOf(DateTimeOffset last) => PythonFloat.Repr(PlxTimestamp.PosixSeconds(last)) + Extension;

    /// <summary>The time a chunk's name carries, or null for a name that is not a time.</summary>
    public static DateTimeOffset? TimeOfName(string name)
    {
        string stem = name.EndsWith(Extension, StringComparison.Ordinal) ? name[..^Extension.Length] : name;
        return PlxTimestamp.TryParsePosixSeconds(stem, out DateTimeOffset time) ? time : null;
    }

    /// <summary>Whether a name under <c>logs/&lt;stream&gt;/</c> is one of Sluice's earlier chunks (<c>00000001.jsonl</c>).</summary>
    public static bool IsLegacySluiceName(string name) =>
        name.Length == 8 + LegacyExtension.Length && name.EndsWith(LegacyExtension, StringComparison.Ordinal) && name.AsSpan(0, 8).IndexOfAnyExceptInRange('0', '9') < 0;

    /// <summary>
    /// The chunk's bytes as haupt's <c>upload_logs</c> writes them: the header and "\n", then "\n"
    /// and a row for each line (traceml's <c>V1Logs.to_csv</c>), so an empty line follows the header.
    /// </summary>
    public static byte[] Encode(IEnumerable<LogLine> lines)
    {
        var text = new StringBuilder(Header).Append('\n');
        foreach (LogLine line in lines)
        {
            line.AppendRow(text.Append('\n'));
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>The lines of a stored file, by its kind (see the class remarks); what cannot be read is left out.</summary>
    public static List<LogLine> Read(string fileName, ReadOnlySpan<byte> content)
    {
        string text = Encoding.UTF8.GetString(content);
        var lines = new List<LogLine>();
        if (fileName.EndsWith(Extension, StringComparison.Ordinal))
        {
            foreach (string row in PlxRow.Rows(text, Header))
            {
                if (LogLine.ParseRow(row) is { } line)
                {
                    lines.Add(line);
                }
            }
        }
        else if (fileName.EndsWith(LegacyExtension, StringComparison.Ordinal))
        {
            foreach (string json in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                AddJson(lines, json, (document, found) => found.Add(document));
            }
        }
        else
        {
            AddJson(lines, text, (document, found) =>
            {
                if (document.ValueKind == JsonValueKind.Object && document.TryGetProperty("logs", out JsonElement logs) && logs.ValueKind == JsonValueKind.Array)
                {
                    found.AddRange(logs.EnumerateArray());
                }
            });
        }

        return lines;
    }

    private static void AddJson(List<LogLine> lines, string json, Action<JsonElement, List<JsonElement>> select)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var found = new List<JsonElement>();
            select(document.RootElement, found);
            foreach (JsonElement element in found)
            {
                if (LogLine.FromJson(element) is { } line)
                {
                    lines.Add(line);
                }
            }
        }
        catch (JsonException)
        {
            // not a chunk of ours or Polyaxon's: nothing to show from it
        }
    }
}
