using System.CommandLine;
using Sluice.Cli.Commands;

var root = new RootCommand("Sluice: a storage gateway that hands out presigned S3 URLs.")
{
    ServeCommand.Create(),
    PresignCommand.Create(),
    AccountsCommand.Create(),
    TokensCommand.Create(),
    Sluice.Cli.Commands.Artifacts.ArtifactsCommand.Create(),
    Sluice.Cli.Commands.Upload.UploadCommand.Create(),
};

return await root.Parse(args).InvokeAsync();
