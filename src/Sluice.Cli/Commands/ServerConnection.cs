using System.CommandLine;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Sluice.Core.Access;

namespace Sluice.Cli.Commands;

/// <summary>
/// <c>--server URL</c> and <c>--token TOKEN</c> (defaults <c>SLUICE_SERVER</c> and <c>SLUICE_TOKEN</c>),
/// shared by the commands that talk to a running Sluice, and the client they make.
/// </summary>
public sealed class ServerConnection
{
    public Option<Uri> Server { get; } = new("--server")
    {
        Description = $"The Sluice server (default: SLUICE_SERVER, else {ServerAddress.Default})",
        DefaultValueFactory = _ => new Uri(Environment.GetEnvironmentVariable("SLUICE_SERVER") is { Length: > 0 } url ? url : ServerAddress.Default),
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

    public Option<string?> Token { get; } = new("--token")
    {
        Description = "The access token (default: SLUICE_TOKEN; prefer the variable, arguments show in ps)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("SLUICE_TOKEN"),
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Server);
        command.Options.Add(Token);
    }

    public HttpClient CreateClient(ParseResult parse)
    {
        Uri server = parse.GetValue(Server)!;
        var client = new HttpClient { BaseAddress = server.AbsoluteUri.EndsWith('/') ? server : new Uri(server.AbsoluteUri + "/"), Timeout = TimeSpan.FromSeconds(60) };
        if (parse.GetValue(Token) is { Length: > 0 } token)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>Prints a failed answer's problem detail to stderr as <c>sluice COMMAND: STATUS detail</c>; exit code 2.</summary>
    public static async Task<int> ReportFailureAsync(string command, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string detail;
        try
        {
            JsonElement problem = await response.Content.ReadFromJsonAsync(ClientJson.Default.JsonElement, cancellationToken);
            detail = Text(problem, "detail") ?? Text(problem, "title") ?? response.ReasonPhrase ?? string.Empty;
        }
        catch (JsonException)
        {
            detail = response.ReasonPhrase ?? string.Empty;
        }

        await Console.Error.WriteLineAsync($"sluice {command}: {(int)response.StatusCode} {detail}");
        return 2;
    }

    public static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value.ToString() : null;
}
