using Microsoft.Extensions.Hosting;
using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Sluice.Core.Artifacts;
using Sluice.Server.Hosting;

namespace Sluice.Cli.Commands;

/// <summary><c>sluice serve</c>: runs the HTTP server. Extra arguments (such as <c>--urls</c>) go to ASP.NET Core.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var command = new Command("serve", $"Run the server (default {SluiceServer.DefaultUrl}, data in ./.sluice; --urls, SLUICE_DATA_DIR and SLUICE_ENCRYPTION_KEY change them; SLUICE_CONFIG and SLUICE_SECRETS_DIR give it artifact stores).")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            WebApplication app;
            try
            {
                app = SluiceServer.Build([.. parseResult.UnmatchedTokens]);
            }
            catch (StoresConfigException e)
            {
                foreach (var error in e.Errors)
                {
                    await Console.Error.WriteLineAsync($"sluice serve: {error}");
                }

                return 2;
            }

            await using var _ = app;
            await app.StartAsync(cancellationToken);
            await app.WaitForShutdownAsync(cancellationToken);
            return 0;
        });
        return command;
    }
}
