using Sluice.Core.Artifacts.Plx;
using Sluice.Core.Artifacts.Runs;

namespace Sluice.Core.Artifacts.Logs;

/// <summary>
/// How far a reader of a run's log has got, as Polyaxon's streams API pages logs:
/// <see cref="LastFile"/> is the last chunk read (a name under <c>plxlogs/</c>, or
/// <c>logs/&lt;stream&gt;/00000001.jsonl</c> for Sluice's earlier chunks, which come first), and
/// <see cref="LastTime"/> the time of the last line read from <c>.tmpplxlogs/</c>, whose files are
/// rewritten rather than added to. Both null: from the start.
/// </summary>
public sealed record LogCursor(string? LastFile, DateTimeOffset? LastTime)
{
    public static LogCursor Start { get; } = new(null, null);

    /// <summary>Whether <see cref="LastFile"/> is one of Sluice's earlier chunks (before every <c>plxlogs/</c> one).</summary>
    public bool InLegacyChunks => LastFile is not null && LastFile.Contains('/');

    /// <summary>Reads a cursor a client sent back; the problem names the parameter.</summary>
    public static LogCursor? Parse(string? lastFile, string? lastTime, out (string Parameter, string Problem)? problem)
    {
        problem = null;
        if (!string.IsNullOrEmpty(lastFile))
        {
            int slash = lastFile.LastIndexOf('/');
            bool legacy = slash > 0 && lastFile.StartsWith(LogChunk.LegacyDirectory + "/", StringComparison.Ordinal)
                && RunLayout.SegmentsProblem(lastFile) is null && LogChunk.IsLegacySluiceName(lastFile[(slash + 1)..]);
            if (!legacy && (slash >= 0 || RunLayout.SegmentsProblem(lastFile) is not null))
            {
                problem = ("last_file", $"'{lastFile}' is not a log chunk's name (a file in plxlogs/, as an earlier answer's last_file gave it)");
                return null;
            }
        }

        DateTimeOffset? time = null;
        if (!string.IsNullOrEmpty(lastTime))
        {
            if (!PlxTimestamp.TryParse(lastTime, out DateTimeOffset parsed))
            {
                problem = ("last_time", $"'{lastTime}' is not a time (ISO 8601, as an earlier answer's last_time gave it)");
                return null;
            }

            time = parsed;
        }

        return new LogCursor(string.IsNullOrEmpty(lastFile) ? null : lastFile, time);
    }
}
