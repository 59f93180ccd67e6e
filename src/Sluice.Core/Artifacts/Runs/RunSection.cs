namespace Sluice.Core.Artifacts.Runs;

/// <summary>
/// The directories of a run, as Polyaxon lays a run out (<c>outputs/</c> files a run makes,
/// <c>events/&lt;kind&gt;/</c> its tracked metrics and other events, <c>assets/</c> the files those
/// events point to, <c>plxlogs/</c> its log chunks, <c>resources/</c> the resource metrics Polyaxon
/// collects), and <c>logs/</c>, where Sluice wrote log chunks before it wrote Polyaxon's.
/// </summary>
public static class RunSection
{
    public const string Outputs = "outputs";
    public const string Events = "events";
    public const string Assets = "assets";
    public const string PlxLogs = "plxlogs";
    public const string Resources = "resources";
    public const string Logs = "logs";

    public static IReadOnlyList<string> All { get; } = [Outputs, Events, Assets, PlxLogs, Resources, Logs];

    public static bool IsSection(string name) => All.Contains(name, StringComparer.Ordinal);
}
