using System.CommandLine;
using Sluice.Cli.Commands;

var root = new RootCommand("Sluice: a storage gateway that hands out presigned S3 URLs.")
{
#if SLUICE_CLIENT_ONLY
    ClientOnly.ServeCommand(),
#else
    Sluice.Cli.Serve.ServeCommand.Create(),
#endif
    PresignCommand.Create(),
    AccountsCommand.Create(),
    TokensCommand.Create(),
    Sluice.Cli.Commands.Artifacts.ArtifactsCommand.Create(),
    Sluice.Cli.Commands.Upload.UploadCommand.Create(),
};

ParseResult parse = root.Parse(args);

// A command that reports its own unknown arguments (with every other mistake, exit 2) runs on them.
if (CommandArguments.HandledByCommand(parse) && parse.CommandResult.Command.Action is System.CommandLine.Invocation.AsynchronousCommandLineAction own)
{
    return await own.InvokeAsync(parse);
}

return await parse.InvokeAsync();
