namespace Sluice.Core.Artifacts.Runs;

/// <summary>A run in a store's listing: its name, how many files and bytes it holds, and when a file of it last changed.</summary>
public sealed record RunSummary(string Name, int Files, long Size, DateTimeOffset? LastModified);

/// <summary>A page of a store's runs, in name order, and the name to list on after (null: the last page).</summary>
public sealed record RunsPage(IReadOnlyList<RunSummary> Runs, string? Next);
