namespace Sluice.Core.Artifacts.Logs;

/// <summary>Lines read from a run's log, the cursor to read on from, and whether chunks are already waiting after them.</summary>
public sealed record LogPage(IReadOnlyList<LogLine> Lines, LogCursor Next, bool More);
