namespace Sluice.Core.Artifacts.Events;

/// <summary>
/// The kinds of events Polyaxon's tracking writes, one directory each under <c>events/</c>
/// (traceml's <c>V1Event</c> fields): a metric's value is a number, text and html are text, and
/// the others are JSON objects (an image's size and path, a histogram's values and counts, …).
/// </summary>
public static class EventKinds
{
    public const string Metric = "metric";
    public const string Text = "text";
    public const string Html = "html";

    public static IReadOnlyList<string> All { get; } =
        [Metric, "image", "histogram", "audio", "video", Html, Text, "chart", "curve", "confusion", "artifact", "model", "dataframe"];

    public static bool IsKind(string kind) => All.Contains(kind, StringComparer.Ordinal);
}
