using Microsoft.Extensions.Hosting;
using System.CommandLine;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;
using Sluice.Core.Artifacts;
using Sluice.Server.Hosting;

namespace Sluice.Cli.Commands;

/// <summary><c>sluice serve</c>: runs the HTTP server. Extra arguments (such as <c>--urls</c>) go to ASP.NET Core.</summary>
public static partial class ServeCommand
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
            catch (Exception e) when (StartupErrors(e) is { } errors)
            {
                return await FailAsync(errors);
            }

            await using var _ = app;
            try
            {
                await app.StartAsync(cancellationToken);
            }
            catch (Exception e) when (StartupErrors(e) is { } errors)
            {
                return await FailAsync(errors);
            }

            await app.WaitForShutdownAsync(cancellationToken);
            return 0;
        });
        return command;
    }

    /// <summary>
    /// What an operator must fix, one line each, when <paramref name="e"/> is a wrong setting or
    /// its surroundings (those messages name the setting and hold no secret); null for anything
    /// else, a bug, which keeps its stack trace.
    /// </summary>
    private static IReadOnlyList<string>? StartupErrors(Exception e) => e switch
    {
        StoresConfigException stores => [.. stores.Errors.Select(error => error.ToString())],
        StartupException startup => [startup.Message],
        OptionsValidationException invalid => [.. invalid.Failures],
        IOException { InnerException: AddressInUseException or SocketException } bind => [CannotListen(bind)],
        _ => null,
    };

    /// <summary>Kestrel's "Failed to bind to address http://…: reason.", told as the setting that chose the address.</summary>
    private static string CannotListen(IOException bind)
    {
        Match match = KestrelBindFailure().Match(bind.Message);
        if (!match.Success)
        {
            return $"--urls: {bind.Message}";
        }

        string reason = match.Groups["reason"].Success ? match.Groups["reason"].Value : bind.InnerException!.Message;
        return $"cannot listen on {match.Groups["address"].Value} (--urls): {reason.TrimEnd('.')}.";
    }

    private static async Task<int> FailAsync(IReadOnlyList<string> errors)
    {
        foreach (string error in errors)
        {
            await Console.Error.WriteLineAsync($"sluice serve: {error}");
        }

        return 2;
    }

    [GeneratedRegex(@"^Failed to bind to address (?<address>\S+?)(?:: (?<reason>.+?))?\.?$", RegexOptions.CultureInvariant)]
    private static partial Regex KestrelBindFailure();
}
