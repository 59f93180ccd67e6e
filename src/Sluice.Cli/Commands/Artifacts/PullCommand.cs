using System.CommandLine;
using Sluice.Core.Artifacts.Runs;
using Sluice.Core.Transfers;

namespace Sluice.Cli.Commands.Artifacts;

/// <summary><c>sluice artifacts pull REMOTE LOCALDIR</c>.</summary>
public static class PullCommand
{
    public static Command Create()
    {
        var arguments = new Argument<string[]>("REMOTE LOCALDIR")
        {
            Description = "A file or directory of the run (outputs/model.bin, outputs, plxlogs, events/metric, ...), and the local directory to pull into",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var options = new ArtifactsOptions();
        var command = new Command("pull", """
            Download a file or a directory of a run into a local directory.
              sluice artifacts pull outputs/model.bin ./here --run run-42    -> ./here/model.bin
              sluice artifacts pull outputs ./here --run run-42              -> ./here/<everything under outputs/>
            Large files come in parallel ranges; each file is written under a temporary name and renamed into
            place once its ETag checks out. Local files with the same size and ETag are skipped.
            Exit codes: 0 done, 1 a transfer failed or nothing is there, 2 bad arguments or configuration,
            130 interrupted (files done are kept; run it again to finish).
            """)
        { arguments };
        options.AddTo(command, partSize: true, concurrency: true);
        command.SetAction((parse, cancellationToken) => ArtifactsCommandRunner.RunAsync("pull", cancellationToken, async () =>
        {
            var errors = new List<string>();
            TransferOptions? transfer = options.ReadTransferOptions(parse, parse.GetValue(arguments) ?? [], errors);
            string[] values = parse.GetValue(arguments) ?? [];
            RunPath? remote = null;
            if (values.Length != 2)
            {
                errors.Add("give REMOTE (a path in the run, e.g. outputs or outputs/model.bin) and LOCALDIR");
            }
            else
            {
                try
                {
                    remote = RunPath.Parse(values[0]);
                }
                catch (ArtifactPathException e)
                {
                    errors.Add(e.Message);
                }
            }

            if (errors.Count > 0)
            {
                ArtifactsOptions.Report("pull", errors);
                return ExitCodes.Usage;
            }

            if (await options.ConnectAsync(parse, "pull", transfer!, cancellationToken) is not var (client, run))
            {
                return ExitCodes.Usage;
            }

            using (client)
            {
                return await TransferReport.RunAsync("received", $"pull {run.Run}/{remote}", progress =>
                    client.PullAsync(run, remote!, values[1], progress, cancellationToken));
            }
        }));
        return command;
    }
}
