using System.CommandLine;
using System.Net.Http.Json;
using System.Text.Json;

namespace Sluice.Cli.Commands;

/// <summary><c>sluice tokens create|list|revoke</c>: manage access tokens on a running server (admin).</summary>
public static class TokensCommand
{
    public static Command Create()
    {
        var connection = new ServerConnection();
        return new Command("tokens", "Manage the server's access tokens (needs an admin token).")
        {
            CreateCommand(connection),
            ListCommand(connection),
            RevokeCommand(connection),
        };
    }

    private static Command CreateCommand(ServerConnection connection)
    {
        var name = new Option<string>("--name") { Description = "Who or what the token is for", Required = true };
        var admin = new Option<bool>("--admin") { Description = "Manage accounts and tokens, and sign anything" };
        var accounts = new Option<string[]>("--account") { Description = "Accounts it may sign for (repeat; default all)" };
        var buckets = new Option<string[]>("--bucket") { Description = "Buckets it may sign for (repeat; default all)" };
        var prefixes = new Option<string[]>("--prefix") { Description = "Key prefixes it may sign for (repeat; default all)" };
        var methods = new Option<string[]>("--method") { Description = "GET, PUT, DELETE (repeat; default all)" };
        var maxExpiration = new Option<int?>("--max-expiration") { Description = "The longest URL lifetime it may ask for, in seconds" };
        var maxUploadBytes = new Option<long?>("--max-upload-bytes") { Description = "The largest upload it may sign for, in bytes (uploads must then declare their size)" };
        var expiresIn = new Option<int?>("--expires-in") { Description = "The token stops working after this many seconds" };
        var command = new Command("create", "Create a token; its secret is printed once.") { name, admin, accounts, buckets, prefixes, methods, maxExpiration, maxUploadBytes, expiresIn };
        connection.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var request = new TokenCreateRequest(
                parse.GetValue(name)!,
                parse.GetValue(admin),
                parse.GetValue(accounts) ?? [],
                parse.GetValue(buckets) ?? [],
                parse.GetValue(prefixes) ?? [],
                parse.GetValue(methods) ?? [],
                parse.GetValue(maxExpiration),
                parse.GetValue(maxUploadBytes),
                parse.GetValue(expiresIn));

            using var http = connection.CreateClient(parse);
            using var response = await http.PostAsJsonAsync("tokens", request, ClientJson.Default.TokenCreateRequest, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return await ServerConnection.ReportFailureAsync("tokens create", response, cancellationToken);
            }

            JsonElement token = await response.Content.ReadFromJsonAsync(ClientJson.Default.JsonElement, cancellationToken);
            Console.WriteLine(token.GetProperty("token").GetString());
            await Console.Error.WriteLineAsync($"created {token.GetProperty("id").GetString()} ({token.GetProperty("name").GetString()}); the token above is shown only once");
            return 0;
        });
        return command;
    }

    private static Command ListCommand(ServerConnection connection)
    {
        var command = new Command("list", "List tokens: id, state, name and scope (never their secrets).");
        connection.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var http = connection.CreateClient(parse);
            using var response = await http.GetAsync("tokens", cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return await ServerConnection.ReportFailureAsync("tokens list", response, cancellationToken);
            }

            JsonElement list = await response.Content.ReadFromJsonAsync(ClientJson.Default.JsonElement, cancellationToken);
            foreach (JsonElement token in list.GetProperty("items").EnumerateArray())
            {
                string state = ServerConnection.Text(token, "revokedAt") is not null ? "revoked"
                    : ServerConnection.Text(token, "expiresAt") is { } expiry && DateTime.Parse(expiry, System.Globalization.CultureInfo.InvariantCulture).ToUniversalTime() <= DateTime.UtcNow ? "expired"
                    : "active";
                Console.WriteLine($"{token.GetProperty("id").GetString()}\t{state}\t{token.GetProperty("name").GetString()}\t{token.GetProperty("scope").GetRawText()}");
            }

            return 0;
        });
        return command;
    }

    private static Command RevokeCommand(ServerConnection connection)
    {
        var id = new Argument<string>("id") { Description = "The token id (tok_…)" };
        var command = new Command("revoke", "Revoke a token; it stops working at once.") { id };
        connection.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var http = connection.CreateClient(parse);
            using var response = await http.DeleteAsync($"tokens/{Uri.EscapeDataString(parse.GetValue(id)!)}", cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return await ServerConnection.ReportFailureAsync("tokens revoke", response, cancellationToken);
            }

            Console.WriteLine($"revoked {parse.GetValue(id)}");
            return 0;
        });
        return command;
    }
}
