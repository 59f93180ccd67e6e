using Microsoft.Extensions.Hosting;
using System.CommandLine;
using Sluice.Server.Hosting;

namespace Sluice.Cli.Commands;

/// <summary><c>sluice serve</c>: runs the HTTP server. Extra arguments (such as <c>--urls</c>) go to ASP.NET Core.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var command = new Command("serve", $"Run the server (default {SluiceServer.DefaultUrl}, data in ./.sluice; --urls, SLUICE_DATA_DIR and SLUICE_ENCRYPTION_KEY change them).")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var app = SluiceServer.Build([.. parseResult.UnmatchedTokens]);
            await app.StartAsync(cancellationToken);
            await app.WaitForShutdownAsync(cancellationToken);
            return 0;
        });
        return command;
    }
}
