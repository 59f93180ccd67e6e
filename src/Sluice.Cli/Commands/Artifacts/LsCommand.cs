using System.CommandLine;
using System.Globalization;
using Sluice.Core.Artifacts.Runs;
using Sluice.Core.Transfers;

namespace Sluice.Cli.Commands.Artifacts;

/// <summary><c>sluice artifacts ls [PATH] [--flat]</c>: a run's tree with sizes.</summary>
public static class LsCommand
{
    public static Command Create()
    {
        var path = new Argument<string[]>("PATH") { Description = "A file or directory of the run (default: the whole run)", Arity = ArgumentArity.ZeroOrMore };
        var flat = new Option<bool>("--flat") { Description = "One file a line: its size in bytes, a tab, its path in the run (for scripts)" };
        var options = new ArtifactsOptions();
        var command = new Command("ls", """
            List a run's files as a tree with sizes (directories show their file count and total).
              sluice artifacts ls --run run-42
              sluice artifacts ls outputs/eval --run run-42 --flat
            Exit codes: 0 listed (an empty run too), 1 nothing at PATH or the store failed, 2 bad arguments or configuration.
            """)
        { path, flat };
        options.AddTo(command, partSize: false, concurrency: false);
        command.SetAction((parse, cancellationToken) => ArtifactsCommandRunner.RunAsync("ls", cancellationToken, async () =>
        {
            var errors = new List<string>();
            TransferOptions? transfer = options.ReadTransferOptions(parse, parse.GetValue(path) ?? [], errors);
            string[] values = parse.GetValue(path) ?? [];
            RunPath? target = null;
            if (values.Length > 1)
            {
                errors.Add("give at most one PATH");
            }
            else if (values.Length == 1)
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
                ArtifactsOptions.Report("ls", errors);
                return ExitCodes.Usage;
            }

            if (await options.ConnectAsync(parse, "ls", transfer!, cancellationToken) is not var (client, run))
            {
                return ExitCodes.Usage;
            }

            using (client)
            {
                IReadOnlyList<RemoteFile> files = await client.ListAsync(run, target, cancellationToken);
                if (files.Count == 0 && target is { Relative.Length: > 0 })
                {
                    throw new ArtifactNotFoundException($"nothing at {target} in run {run.Run}");
                }

                if (parse.GetValue(flat))
                {
                    foreach (RemoteFile file in files)
                    {
                        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{file.Size}\t{file.Path}"));
                    }
                }
                else
                {
                    string root = target?.Value is { } t ? t : run.Run;
                    Console.Out.Write(RunTree.Render(root, files, target?.Value));
                }

                return ExitCodes.Ok;
            }
        }));
        return command;
    }
}
