using Spectre.Console;
using Sluice.Cli.Commands.Artifacts;
using Sluice.Core.Transfers;

namespace Sluice.Cli.Commands.Upload;

/// <summary>
/// Shows an upload as it goes: the Spectre.Console progress bar <c>artifacts push</c> uses when
/// standard output is a terminal; otherwise plain lines (one per part stored, retries, resuming)
/// for logs and scripts, and for tests that watch which parts a resumed upload sends.
/// </summary>
public static class UploadReport
{
    public static async Task<int> RunAsync(string description, Func<IUploadProgress, Task<int>> upload)
    {
        if (!TransferReport.Interactive)
        {
            return await upload(new LineProgress());
        }

        return await AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(description), autoStart: true, maxValue: 1);
                return await upload(new BarProgress(task));
            });
    }

    /// <summary>Console.Out is synchronized: lines from parallel parts never interleave.</summary>
    private sealed class LineProgress : IUploadProgress
    {
        public void Planned(long bytes, long stored)
        {
        }

        public void Advanced(long bytes)
        {
        }

        public void PartSent(int partNumber, int partCount, long bytes) =>
            Console.Out.WriteLine($"part {partNumber}/{partCount} sent ({Sizes.Format(bytes)})");

        public void Note(string line) => Console.Out.WriteLine(line);
    }

    private sealed class BarProgress(ProgressTask task) : IUploadProgress
    {
        public void Planned(long bytes, long stored)
        {
            task.MaxValue = Math.Max(bytes, 1);
            task.Value = stored;
        }

        public void Advanced(long bytes) => task.Increment(bytes);

        public void PartSent(int partNumber, int partCount, long bytes)
        {
        }

        public void Note(string line) => AnsiConsole.MarkupLine(Markup.Escape(line));
    }
}
