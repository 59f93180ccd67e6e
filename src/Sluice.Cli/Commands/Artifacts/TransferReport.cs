using System.Globalization;
using Spectre.Console;
using Sluice.Core.Artifacts.Transfers;
using Sluice.Core.Transfers;

namespace Sluice.Cli.Commands.Artifacts;

/// <summary>
/// Shows a push or pull as it goes: a Spectre.Console progress bar (bytes, speed, time left) when
/// standard output is a terminal; otherwise one plain line per file as it finishes ("sent",
/// "skipped", "resumed"; failures on stderr), for logs and scripts. Both end with a summary line.
/// </summary>
public static class TransferReport
{
    public static bool Interactive => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>Runs <paramref name="transfer"/> with the right progress display and prints its summary; returns the exit code.</summary>
    public static async Task<int> RunAsync(string verb, string description, Func<ITransferProgress, Task<TransferSummary>> transfer)
    {
        TransferSummary summary;
        if (Interactive)
        {
            summary = await AnsiConsole.Progress()
                .AutoClear(false)
                .HideCompleted(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask(Markup.Escape(description), autoStart: true, maxValue: 1);
                    var result = await transfer(new BarProgress(task));
                    task.Value = task.MaxValue;
                    return result;
                });
            foreach (FileResult failed in summary.Files.Where(f => f.Outcome == FileOutcome.Failed))
            {
                await Console.Error.WriteLineAsync($"failed {failed.Path}: {failed.Error}");
            }
        }
        else
        {
            summary = await transfer(new LineProgress(verb));
        }

        double seconds = Math.Max(summary.Elapsed.TotalSeconds, 0.001);
        string line = string.Create(CultureInfo.InvariantCulture,
            $"{verb}: {summary.Files.Count} files, {Sizes.Format(summary.TotalBytes)}: {summary.Transferred} {verb}, {summary.Skipped} skipped (unchanged), {summary.Failed} failed; "
            + $"{Sizes.Format(summary.BytesMoved)} moved in {seconds:0.0} s ({Sizes.Format((long)(summary.BytesMoved / seconds))}/s)");
        Console.Out.WriteLine(line);
        return summary.Succeeded ? ExitCodes.Ok : ExitCodes.TransferFailed;
    }

    /// <summary>Progress as plain lines, one per finished file (failures on stderr).</summary>
    public static ITransferProgress Lines(string verb) => new LineProgress(verb);

    /// <summary>One line per finished file. Console.Out is synchronized; lines never interleave.</summary>
    private sealed class LineProgress(string verb) : ITransferProgress
    {
        public void Planned(int files, long bytes) =>
            Console.Out.WriteLine($"{files} files, {Sizes.Format(bytes)} to check");

        public void Advanced(long bytes)
        {
        }

        public void Finished(FileResult result)
        {
            switch (result.Outcome)
            {
                case FileOutcome.Transferred:
                    Console.Out.WriteLine($"{verb} {result.Path} ({Sizes.Format(result.Size)})");
                    break;
                case FileOutcome.Resumed:
                    Console.Out.WriteLine($"resumed {result.Path} ({Sizes.Format(result.Size)}, {Sizes.Format(result.BytesMoved)} sent, the rest was already there)");
                    break;
                case FileOutcome.Skipped:
                    Console.Out.WriteLine($"skipped {result.Path} (unchanged)");
                    break;
                default:
                    Console.Error.WriteLine($"failed {result.Path}: {result.Error}");
                    break;
            }
        }
    }

    private sealed class BarProgress(ProgressTask task) : ITransferProgress
    {
        public void Planned(int files, long bytes)
        {
            task.MaxValue = Math.Max(bytes, 1);
            task.Description = $"{task.Description} ({files} files)";
        }

        public void Advanced(long bytes) => task.Increment(bytes);

        public void Finished(FileResult result)
        {
        }
    }
}
