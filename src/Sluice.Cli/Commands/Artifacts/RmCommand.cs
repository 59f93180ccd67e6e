using System.CommandLine;
using Sluice.Core.Artifacts.Runs;
using Sluice.Core.Transfers;

namespace Sluice.Cli.Commands.Artifacts;

/// <summary><c>sluice artifacts rm PATH</c>.</summary>
public static class RmCommand
{
    public static Command Create()
    {
        var path = new Argument<string[]>("PATH") { Description = "A file or directory of the run (outputs/model.bin, outputs/eval, plxlogs)", Arity = ArgumentArity.ZeroOrMore };
        var options = new ArtifactsOptions();
        var command = new Command("rm", """
            Delete a file or a directory of a run (everything under it, in batches), and abort the uploads left
            unfinished there.
              sluice artifacts rm outputs/eval --run run-42
            Exit codes: 0 deleted, 1 nothing at PATH or the store failed, 2 bad arguments or configuration,
            130 interrupted (run it again to finish).
            """)
        { path };
        options.AddTo(command, partSize: false, concurrency: true);
        command.SetAction((parse, cancellationToken) => ArtifactsCommandRunner.RunAsync("rm", cancellationToken, async () =>
        {
            var errors = new List<string>();
            TransferOptions? transfer = options.ReadTransferOptions(parse, parse.GetValue(path) ?? [], errors);
            string[] values = parse.GetValue(path) ?? [];
            RunPath? target = null;
            if (values.Length != 1)
            {
                errors.Add("give one PATH, a file or directory of the run (e.g. outputs/eval)");
            }
            else
            {
                try
                {
                    target = RunPath.Parse(values[0]);
                }
                catch (ArtifactPathException e)
                {
                    errors.Add(e.Message);
                }
            }

            if (errors.Count > 0)
            {
                ArtifactsOptions.Report("rm", errors);
                return ExitCodes.Usage;
            }

            if (await options.ConnectAsync(parse, "rm", transfer!, cancellationToken) is not var (client, run))
            {
                return ExitCodes.Usage;
            }

            using (client)
            {
                DeleteSummary deleted = await client.DeleteAsync(run, target!, cancellationToken);
                string uploads = deleted.UploadsAborted > 0 ? $", {deleted.UploadsAborted} unfinished uploads aborted" : "";
                Console.Out.WriteLine($"deleted {target}: {deleted.Files} files, {Sizes.Format(deleted.Bytes)}{uploads}");
                return ExitCodes.Ok;
            }
        }));
        return command;
    }
}
