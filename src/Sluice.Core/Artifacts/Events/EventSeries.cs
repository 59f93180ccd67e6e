using System.Text;
using Sluice.Core.Artifacts.Plx;

namespace Sluice.Core.Artifacts.Events;

/// <summary>The events of one name and kind, a file <c>events/&lt;kind&gt;/&lt;name&gt;.plx</c>.</summary>
public sealed record EventSeries(string Kind, string Name, IReadOnlyList<RunEvent> Events)
{
    public const string Extension = ".plx";

    /// <summary>The rows of a stored file; rows that cannot be read are left out.</summary>
    public static EventSeries Read(string kind, string name, string content)
    {
        var events = new List<RunEvent>();
        foreach (string row in PlxRow.Rows(content, RunEvent.HeaderOf(kind)))
        {
            if (RunEvent.ParseRow(row) is { } parsed)
            {
                events.Add(parsed);
            }
        }

        return new EventSeries(kind, name, events);
    }

    /// <summary>The file's text with <paramref name="added"/> after what it holds (the header alone when it holds nothing), as traceml appends: "\n" and the row.</summary>
    public static string Append(string kind, string? existing, IEnumerable<RunEvent> added)
    {
        var text = new StringBuilder(string.IsNullOrEmpty(existing) ? RunEvent.HeaderOf(kind) : existing.TrimEnd('\n'));
        foreach (RunEvent row in added)
        {
            row.AppendRow(text.Append('\n'));
        }

        return text.ToString();
    }
}
