using System.Text.Json;
using System.Text.Json.Nodes;
using Sluice.Core.Artifacts.Events;
using Sluice.Core.Artifacts.Logs;
using Sluice.Core.Artifacts.Plx;
using Sluice.Core.Artifacts.Runs;
using Sluice.Core.Providers;
using Sluice.Server.Problems;

namespace Sluice.Server.Artifacts;

/// <summary>
/// What a run records as it goes, in Polyaxon's formats, served as JSON: its log, page by page
/// with Polyaxon's cursor (<c>last_file</c>, <c>last_time</c>) so a client can follow it, and its
/// events by kind (<c>?names=</c>), in the column shape Polyaxon's streams answer with.
/// Reading either needs GET over the run's keys (the log) or the kind's directory (events).
/// </summary>
public static class RunRecordEndpoints
{
    public const int MaxNames = 100;

    public static async Task<IResult> LogsAsync(HttpContext context, string store, string run, ArtifactStoreRegistry registry, CancellationToken cancellationToken)
    {
        if (ArtifactEndpoints.Target.Read(context, registry, store, run, pathRequired: false, out IResult? problem) is not { } target)
        {
            return problem!;
        }

        if (LogCursor.Parse(context.Request.Query["last_file"], context.Request.Query["last_time"], out var cursorProblem) is not { } cursor)
        {
            return ProblemResults.Invalid(cursorProblem!.Value.Parameter, cursorProblem.Value.Problem);
        }

        // The log is read from several of the run's directories (plxlogs/, .tmpplxlogs/, logs/): the whole run must be readable.
        if (target.Deny(context, target.Run.RunPrefix, ObjectMethod.Get, 0) is { } denied)
        {
            return denied;
        }

        return await ArtifactEndpoints.WithStoreAsync(context, registry, target.Store, async session =>
        {
            LogPage page = await session.Client.LogReader(target.Run).ReadAsync(cursor, LogChunk.MaxLines, cancellationToken);
            return Results.Ok(new RunLogsResponse(
                page.Lines.Select(line => new RunLogEntry(line.Timestamp, line.Node, line.Pod, line.Container, line.Value)).ToList(),
                page.Next.LastFile,
                page.Next.LastTime,
                page.More));
        });
    }

    public static async Task<IResult> EventsAsync(HttpContext context, string store, string run, string kind, ArtifactStoreRegistry registry, CancellationToken cancellationToken)
    {
        if (ArtifactEndpoints.Target.Read(context, registry, store, run, pathRequired: false, out IResult? problem) is not { } target)
        {
            return problem!;
        }

        if (!EventKinds.IsKind(kind))
        {
            return ProblemResults.Invalid("kind", $"'{kind}' is not an event kind; kinds: {string.Join(", ", EventKinds.All)}");
        }

        string[] names = context.Request.Query["names"].SelectMany(value => (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct(StringComparer.Ordinal).ToArray();
        if (names.Length > MaxNames)
        {
            return ProblemResults.Invalid("names", $"at most {MaxNames} names a request, not {names.Length}");
        }

        if (names.Select(name => RunEvents.NameProblem(name) is { } p ? $"the name '{name}' {p}" : null).FirstOrDefault(p => p is not null) is { } nameProblem)
        {
            return ProblemResults.Invalid("names", nameProblem);
        }

        if (target.Deny(context, target.Run.RunPrefix + $"{RunSection.Events}/{kind}/", ObjectMethod.Get, 0) is { } denied)
        {
            return denied;
        }

        return await ArtifactEndpoints.WithStoreAsync(context, registry, target.Store, async session =>
        {
            RunEvents events = session.Client.Events(target.Run);
            IReadOnlyList<string> wanted = names.Length > 0 ? names : (await events.NamesAsync(kind, cancellationToken)).Take(MaxNames).ToList();
            var data = new JsonArray();
            foreach (string name in wanted)
            {
                if (await events.ReadAsync(kind, name, cancellationToken) is { } series)
                {
                    data.Add(Columns(series));
                }
            }

            return Results.Json(new JsonObject { ["data"] = data });
        });
    }

    /// <summary>A series as Polyaxon's streams answer it (<c>orient=dict</c>): <c>{name, kind, data: {step: [], timestamp: [], &lt;kind&gt;: []}}</c>.</summary>
    private static JsonObject Columns(EventSeries series)
    {
        var steps = new JsonArray();
        var timestamps = new JsonArray();
        var values = new JsonArray();
        foreach (RunEvent row in series.Events)
        {
            steps.Add(row.Step is { } step ? JsonValue.Create(step) : null);
            timestamps.Add(row.Timestamp is { } at ? JsonValue.Create(at) : null);
            values.Add(ValueOf(series.Kind, row.Value));
        }

        return new JsonObject
        {
            ["name"] = series.Name,
            ["kind"] = series.Kind,
            ["data"] = new JsonObject { ["step"] = steps, ["timestamp"] = timestamps, [series.Kind] = values },
        };
    }

    /// <summary>A metric as a number (null for nan and inf, as Polyaxon answers them); text and html as text; the other kinds' JSON as JSON.</summary>
    private static JsonNode? ValueOf(string kind, string value)
    {
        switch (kind)
        {
            case EventKinds.Metric:
                return PythonFloat.TryParse(value, out double number) && double.IsFinite(number) ? JsonValue.Create(number) : null;
            case EventKinds.Text or EventKinds.Html:
                return JsonValue.Create(value);
            default:
                try
                {
                    return JsonNode.Parse(value);
                }
                catch (JsonException)
                {
                    return JsonValue.Create(value);
                }
        }
    }
}
