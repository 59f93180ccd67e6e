using Microsoft.Extensions.Hosting;
using System.CommandLine;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;
using Sluice.Server.Hosting;
using Sluice.Core.Access;
using Sluice.Core.Configuration;

namespace Sluice.Cli.Serve;

/// <summary><c>sluice serve [--urls URL]</c>: runs the HTTP server; any other argument is refused.</summary>
public static partial class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string?>("--urls")
        {
            Description = $"Where to listen: one or more URLs separated by ';' (default {ServerAddress.Default}, or ASPNETCORE_URLS).",
        };
        var command = new Command("serve", "Run the server (data in ./.sluice; SLUICE_DATA_DIR, SLUICE_DATABASE and SLUICE_ENCRYPTION_KEY change that; SLUICE_CONFIG and SLUICE_SECRETS_DIR give it artifact stores).")
        {
            urls,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            WebApplication app;
            try
            {
                app = SluiceServer.Build(parseResult.GetValue(urls) is { } listen ? ["--urls", listen] : []);
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
        ConfigFileException file => [.. file.Errors.Select(error => error.ToString())],
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
