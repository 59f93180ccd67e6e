using System.CommandLine;
using System.Globalization;
using Sluice.Core.Artifacts.Runs;
using Sluice.Core.Artifacts.Transfers;
using Sluice.Core.Transfers;

namespace Sluice.Cli.Commands.Artifacts;

/// <summary><c>sluice artifacts sync DIR [--to DIR] [--watch]</c>: a job's directory mirrored into its run.</summary>
public static class SyncCommand
{
    public static Command Create()
    {
        var directory = new Argument<string[]>("DIR") { Description = "The local directory to mirror", Arity = ArgumentArity.ZeroOrMore };
        var to = new Option<string?>("--to")
        {
            Description = "The run directory it mirrors into: outputs (default), events, assets, plxlogs or resources, optionally with a sub-directory",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var watch = new Option<bool>("--watch") { Description = "Keep mirroring until stopped (SIGTERM or Ctrl+C), then sync once more and exit" };
        var interval = new Option<string?>("--interval") { Description = "Seconds between passes with --watch, 0.1 to 3600 (default: 2)", Arity = ArgumentArity.ZeroOrOne };
        var options = new ArtifactsOptions();
        var command = new Command("sync", """
            Mirror a local directory into a run: new and changed files are pushed (unchanged content is skipped),
            and files this sync mirrored that are then deleted locally are deleted from the store. Files that were
            in the store before and are not in the directory are left alone.
              sluice artifacts sync /job/outputs --run run-42                     one pass
              sluice artifacts sync /job/outputs --run run-42 --watch             as a job's sidecar: a pass every 2 s,
                                                                                   and a last one when stopped
            Output is plain lines (one per file sent or deleted), for logs.
            Exit codes: 0 in sync, 1 some file could not be synced, 2 bad arguments or configuration.
            """)
        { directory, to, watch, interval };
        options.AddTo(command, partSize: true, concurrency: true);
        command.SetAction((parse, cancellationToken) => ArtifactsCommandRunner.RunAsync("sync", cancellationToken, async () =>
        {
            var errors = new List<string>();
            string[] values = parse.GetValue(directory) ?? [];
            TransferOptions? transfer = options.ReadTransferOptions(parse, values, errors);
            if (values.Length != 1)
            {
                errors.Add("give one DIR, the local directory to mirror");
            }
            else if (!Directory.Exists(values[0]))
            {
                errors.Add($"{values[0]}: no such directory");
            }

            RunPath? destination = null;
            try
            {
                destination = RunPath.Parse(parse.GetValue(to) ?? RunSection.Outputs);
            }
            catch (ArtifactPathException e)
            {
                errors.Add($"--to: {e.Message}");
            }

            TimeSpan pause = ArtifactsOptions.ReadInterval(parse.GetValue(interval), TimeSpan.FromSeconds(2), errors);

            if (errors.Count > 0)
            {
                ArtifactsOptions.Report("sync", errors);
                return ExitCodes.Usage;
            }

            if (await options.ConnectAsync(parse, "sync", transfer!, cancellationToken) is not var (client, run))
            {
                return ExitCodes.Usage;
            }

            using (client)
            {
                DirectorySync sync = client.Sync(run, values[0], destination!);
                return parse.GetValue(watch)
                    ? await WatchAsync(sync, pause, cancellationToken)
                    : Report(await sync.SyncOnceAsync(TransferReport.Lines("sent"), CancellationToken.None), "synced");
            }
        }));
        return command;
    }

    /// <summary>
    /// Passes until <paramref name="stop"/> (SIGTERM, Ctrl+C), then the flush: one more pass that
    /// nothing cancels (see <see cref="FlushOnExit"/>).
    /// </summary>
    private static async Task<int> WatchAsync(DirectorySync sync, TimeSpan pause, CancellationToken stop)
    {
        using var flushOnExit = new FlushOnExit();
        Console.Out.WriteLine($"watching (a pass every {pause.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s; stop with SIGTERM or Ctrl+C)");
        while (!stop.IsCancellationRequested)
        {
            try
            {
                SyncCycle cycle = await sync.SyncOnceAsync(TransferReport.Lines("sent"), stop);
                Print(cycle);
                await Task.Delay(pause, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            catch (ArtifactPathException e)
            {
                // The job may be between files (a directory renamed away): try again on the next pass.
                await Console.Error.WriteLineAsync($"sluice artifacts sync: {e.Message}");
                await Task.Delay(pause, CancellationToken.None);
            }
        }

        SyncCycle last = await sync.SyncOnceAsync(TransferReport.Lines("sent"), CancellationToken.None);
        return Report(last, "flushed");
    }

    private static int Report(SyncCycle cycle, string what)
    {
        Print(cycle);
        Console.Out.WriteLine($"{what}: {cycle.Pushed.Transferred} sent, {cycle.Pushed.Skipped} unchanged, {cycle.Deleted.Count} deleted, "
            + $"{cycle.Pushed.Failed + (cycle.DeleteError is null ? 0 : 1)} failed");
        return cycle.Succeeded ? ExitCodes.Ok : ExitCodes.TransferFailed;
    }

    private static void Print(SyncCycle cycle)
    {
        foreach (string path in cycle.Deleted)
        {
            Console.Out.WriteLine($"deleted {path}");
        }

        if (cycle.DeleteError is { } error)
        {
            Console.Error.WriteLine($"failed to delete: {error}");
        }
    }
}
