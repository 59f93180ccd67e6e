using System.CommandLine;
using Sluice.Server.Hosting;

namespace Sluice.Cli.Commands;

/// <summary><c>--server URL</c>, shared by the commands that talk to a running Sluice (default <c>SLUICE_SERVER</c>).</summary>
public static class ServerOption
{
    public static Option<Uri> Create() => new("--server")
    {
        Description = $"The Sluice server (default: SLUICE_SERVER, else {SluiceServer.DefaultUrl})",
        DefaultValueFactory = _ => new Uri(Environment.GetEnvironmentVariable("SLUICE_SERVER") is { Length: > 0 } url ? url : SluiceServer.DefaultUrl),
        CustomParser = result =>
        {
            if (Uri.TryCreate(result.Tokens.Single().Value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            {
                return uri;
            }

            result.AddError("--server must be an http:// or https:// URL");
            return null!;
        },
    };
}
