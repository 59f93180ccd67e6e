using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using Sluice.Core.Artifacts.Logs;
using Sluice.Core.Artifacts.Runs;
using Sluice.Core.Providers;
using Sluice.Core.Transfers;

namespace Sluice.Cli.Commands.Artifacts;

/// <summary><c>sluice artifacts logs [--follow]</c>: append stdin to a run's log (Polyaxon's chunks), or tail it.</summary>
public static class LogsCommand
{
    private const long ChunkBytes = 4 * 1024 * 1024;

    public static Command Create()
    {
        var node = new Option<string?>("--node") { Description = "The node column of every line (default: $POLYAXON_K8S_NODE_NAME or $NODE_NAME)", Arity = ArgumentArity.ZeroOrOne };
        var pod = new Option<string?>("--pod") { Description = "The pod column (default: $POD_NAME, or in a Kubernetes pod $HOSTNAME)", Arity = ArgumentArity.ZeroOrOne };
        var container = new Option<string?>("--container") { Description = "The container column (default: empty)", Arity = ArgumentArity.ZeroOrOne };
        var follow = new Option<bool>("--follow", "-f") { Description = "Print the run's log, then new lines as they are stored, until stopped" };
        var json = new Option<bool>("--json") { Description = "With --follow: print each line as JSON (timestamp, node, pod, container, value), not just the text" };
        var tee = new Option<bool>("--tee") { Description = "Also copy each line read from stdin to stdout" };
        var interval = new Option<string?>("--interval")
        {
            Description = "Seconds between chunks (appending: the longest a line waits before it is stored) or between polls (--follow), 0.1 to 3600 (default: 5, --follow: 2)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var options = new ArtifactsOptions();
        var command = new Command("logs", $$"""
            Append the lines of stdin to a run's log, or follow it. Lines are stored as Polyaxon stores them, so
            Polyaxon's UI and agents read them: chunks plxlogs/<POSIX time of the last line>{{LogChunk.Extension}}, rows
            timestamp|node|pod|container|{"_": "<line>"} under that header, at most {{LogChunk.MaxLines}} lines a chunk. A chunk
            is stored every --interval seconds while lines come, at {{LogChunk.MaxLines}} lines or {{ChunkBytes / 1024 / 1024}} MiB, and a last one
            at the end of input or when stopped (SIGTERM, Ctrl+C). Writers of one run never overwrite each other's
            chunks. --follow also reads Polyaxon's legacy JSON chunks, its .tmpplxlogs/ and Sluice's earlier logs/ chunks.
              python train.py 2>&1 | sluice artifacts logs --run run-42 --tee
              sluice artifacts logs --run run-42 --follow
            Exit codes: 0 every line stored (or followed until stopped), 1 a chunk could not be stored, 2 bad arguments or configuration.
            """)
        { node, pod, container, follow, json, tee, interval };
        options.AddTo(command, partSize: false, concurrency: false);
        command.SetAction((parse, cancellationToken) => ArtifactsCommandRunner.RunAsync("logs", cancellationToken, async () =>
        {
            var errors = new List<string>();
            TransferOptions? transfer = options.ReadTransferOptions(parse, [], errors);
            bool following = parse.GetValue(follow);
            TimeSpan pause = ArtifactsOptions.ReadInterval(parse.GetValue(interval), TimeSpan.FromSeconds(following ? 2 : 5), errors);

            if (parse.GetValue(json) && !following)
            {
                errors.Add("--json goes with --follow");
            }

            if (parse.GetValue(tee) && following)
            {
                errors.Add("--tee goes with appending, not with --follow");
            }

            var source = LogSource.From(parse.GetValue(node), parse.GetValue(pod), parse.GetValue(container), Environment.GetEnvironmentVariable);
            if (source.Problem() is { } sourceProblem)
            {
                errors.Add(sourceProblem);
            }

            if (errors.Count > 0)
            {
                ArtifactsOptions.Report("logs", errors);
                return ExitCodes.Usage;
            }

            if (await options.ConnectAsync(parse, "logs", transfer!, cancellationToken) is not var (client, run))
            {
                return ExitCodes.Usage;
            }

            using (client)
            {
                return following
                    ? await FollowAsync(client.LogReader(run), pause, parse.GetValue(json), cancellationToken)
                    : await AppendAsync(client.LogWriter(run, source), pause, parse.GetValue(tee), cancellationToken);
            }
        }));
        return command;
    }

    /// <summary>
    /// Reads stdin on its own task (a console read cannot be cancelled) and stores a chunk when the
    /// first line waiting is <paramref name="pause"/> old or the lines reach <see cref="ChunkBytes"/>.
    /// </summary>
    private static async Task<int> AppendAsync(RunLogWriter log, TimeSpan pause, bool tee, CancellationToken stop)
    {
        using var flushOnExit = new FlushOnExit();
        await log.OpenAsync(stop);
        var lines = Channel.CreateBounded<string>(new BoundedChannelOptions(10_000) { SingleReader = true, SingleWriter = true });
        _ = Task.Run(async () =>
        {
            try
            {
                while (await Console.In.ReadLineAsync(CancellationToken.None) is { } line)
                {
                    await lines.Writer.WriteAsync(line, CancellationToken.None);
                }
            }
            finally
            {
                lines.Writer.TryComplete();
            }
        });

        bool failed = false;
        DateTimeOffset? oldestWaiting = null;
        while (!stop.IsCancellationRequested)
        {
            TimeSpan wait = oldestWaiting is { } since ? pause - (DateTimeOffset.UtcNow - since) : Timeout.InfiniteTimeSpan;
            using var timer = CancellationTokenSource.CreateLinkedTokenSource(stop);
            if (wait != Timeout.InfiniteTimeSpan)
            {
                timer.CancelAfter(wait < TimeSpan.Zero ? TimeSpan.Zero : wait);
            }

            try
            {
                if (!await lines.Reader.WaitToReadAsync(timer.Token))
                {
                    break; // end of input
                }

                while (lines.Reader.TryRead(out string? line))
                {
                    log.Append(line);
                    oldestWaiting ??= DateTimeOffset.UtcNow;
                    if (tee)
                    {
                        Console.Out.WriteLine(line);
                    }

                    if (log.BufferedBytes >= ChunkBytes || log.BufferedLines >= LogChunk.MaxLines)
                    {
                        failed |= !await FlushAsync(log, stop);
                        oldestWaiting = log.BufferedLines == 0 ? null : oldestWaiting;
                    }
                }
            }
            catch (OperationCanceledException) when (!stop.IsCancellationRequested)
            {
                failed |= !await FlushAsync(log, stop);
                oldestWaiting = log.BufferedLines == 0 ? null : DateTimeOffset.UtcNow;
            }
            catch (OperationCanceledException)
            {
            }
        }

        // What is read but not yet stored goes now, whatever stopped the loop; nothing cancels it.
        while (lines.Reader.TryRead(out string? rest))
        {
            log.Append(rest);
        }

        bool stored = await FlushAsync(log, CancellationToken.None);
        return stored && !failed ? ExitCodes.Ok : ExitCodes.TransferFailed;
    }

    private static async Task<bool> FlushAsync(RunLogWriter log, CancellationToken cancellationToken)
    {
        int lines = log.BufferedLines;
        try
        {
            await log.FlushAsync(cancellationToken);
            return true;
        }
        catch (Exception e) when (StoreFailures.IsTransferFailure(e))
        {
            // The lines stay buffered: the next chunk carries them.
            await Console.Error.WriteLineAsync($"sluice artifacts logs: could not store {lines} lines in {RunLogWriter.Directory}: {StoreFailures.Describe(e)}");
            return false;
        }
    }

    private static async Task<int> FollowAsync(RunLogReader log, TimeSpan pause, bool json, CancellationToken stop)
    {
        try
        {
            LogCursor cursor = LogCursor.Start;
            while (true)
            {
                LogPage page = await log.ReadAsync(cursor, LogChunk.MaxLines, stop);
                foreach (LogLine line in page.Lines)
                {
                    Console.Out.WriteLine(json ? Json(line) : line.Value);
                }

                cursor = page.Next;
                if (!page.More)
                {
                    await Console.Out.FlushAsync(stop);
                    await Task.Delay(pause, stop);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return ExitCodes.Ok;
        }
    }

    private static string Json(LogLine line) =>
        JsonSerializer.Serialize(new FollowedLine(line.Timestamp, line.Node, line.Pod, line.Container, line.Value), ClientJson.Default.FollowedLine);
}

/// <summary>A line as <c>logs --follow --json</c> prints it, the fields of Polyaxon's <c>V1Log</c>.</summary>
internal sealed record FollowedLine(
    [property: JsonPropertyName("timestamp")] DateTimeOffset Timestamp,
    [property: JsonPropertyName("node"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Node,
    [property: JsonPropertyName("pod"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Pod,
    [property: JsonPropertyName("container"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Container,
    [property: JsonPropertyName("value")] string Value);
