using System.CommandLine;
using Sluice.Core.Artifacts.Runs;
using Sluice.Core.Transfers;

namespace Sluice.Cli.Commands.Artifacts;

/// <summary><c>sluice artifacts push LOCAL... [--to DIR]</c>.</summary>
public static class PushCommand
{
    public static Command Create()
    {
        var local = new Argument<string[]>("LOCAL") { Description = "Files and directories to push", Arity = ArgumentArity.ZeroOrMore };
        var to = new Option<string?>("--to")
        {
            Description = "The run directory to push into: outputs (default), events, assets, plxlogs or resources, optionally with a "
                + "sub-directory (outputs/models). A file keeps its name under it; a directory's contents go under it",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var options = new ArtifactsOptions();
        var command = new Command("push", """
            Upload files and directories to a run.
              sluice artifacts push model.bin --store s3-artifacts --run run-42              -> outputs/model.bin
              sluice artifacts push ./out --run run-42 --to outputs/eval                     -> outputs/eval/<files under ./out>
              sluice artifacts push roc.png --run run-42 --to assets/image                   -> assets/image/roc.png
            Files above the part size go multipart, many files go in parallel. A file the store already has
            with the same size and ETag (MD5, or the multipart ETag for the same part layout) is skipped, so a
            push can be re-run; one that was interrupted resumes its multipart uploads, sending only missing parts.
            Exit codes: 0 done, 1 a transfer failed, 2 bad arguments or configuration (nothing sent),
            130 interrupted (what is in is kept; run it again to finish).
            """)
        { local, to };
        options.AddTo(command, partSize: true, concurrency: true);
        command.SetAction((parse, cancellationToken) => ArtifactsCommandRunner.RunAsync("push", cancellationToken, async () =>
        {
            var errors = new List<string>();
            TransferOptions? transfer = options.ReadTransferOptions(parse, parse.GetValue(local) ?? [], errors);
            string[] paths = parse.GetValue(local) ?? [];
            if (paths.Length == 0)
            {
                errors.Add("give at least one LOCAL file or directory");
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

            if (errors.Count > 0)
            {
                ArtifactsOptions.Report("push", errors);
                return ExitCodes.Usage;
            }

            if (await options.ConnectAsync(parse, "push", transfer!, cancellationToken) is not var (client, run))
            {
                return ExitCodes.Usage;
            }

            using (client)
            {
                return await TransferReport.RunAsync("sent", $"push to {run.Run}/{destination}", progress =>
                    client.PushAsync(run, paths, destination!, progress, cancellationToken));
            }
        }));
        return command;
    }
}
