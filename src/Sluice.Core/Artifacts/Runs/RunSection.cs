namespace Sluice.Core.Artifacts.Runs;

/// <summary>The four directories every run has in a store.</summary>
public static class RunSection
{
    public const string Outputs = "outputs";
    public const string Logs = "logs";
    public const string Events = "events";
    public const string Assets = "assets";

    public static IReadOnlyList<string> All { get; } = [Outputs, Logs, Events, Assets];

    public static bool IsSection(string name) => All.Contains(name, StringComparer.Ordinal);
}
