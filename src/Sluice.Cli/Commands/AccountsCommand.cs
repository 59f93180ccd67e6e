using System.CommandLine;
using System.Net.Http.Json;
using System.Text.Json;

namespace Sluice.Cli.Commands;

/// <summary><c>sluice accounts check ID</c>: asks a running server where an account's credentials come from.</summary>
public static class AccountsCommand
{
    public static Command Create()
    {
        var id = new Argument<string>("id") { Description = "The AwsAccount id" };
        var bucket = new Option<string?>("--bucket") { Description = "Also list one key of this bucket with the credentials" };
        var connection = new ServerConnection();
        var check = new Command("check", "Resolve an account's credentials on the server: source, expiry, bucket reachability.") { id, bucket };
        connection.AddTo(check);
        check.SetAction(async (parse, cancellationToken) =>
        {
            using var http = connection.CreateClient(parse);
            string path = $"AwsAccount/{Uri.EscapeDataString(parse.GetValue(id)!)}/$check";
            if (parse.GetValue(bucket) is { } bucketName)
            {
                path += "?bucket=" + Uri.EscapeDataString(bucketName);
            }

            using var response = await http.PostAsync(path, null, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return await ServerConnection.ReportFailureAsync("accounts check", response, cancellationToken);
            }

            JsonElement body = await response.Content.ReadFromJsonAsync(ClientJson.Default.JsonElement, cancellationToken);
            var credentials = body.GetProperty("credentials");
            Console.WriteLine(credentials.GetProperty("ok").GetBoolean()
                ? $"credentials: from {Text(credentials, "source")}, access key {Text(credentials, "access-key-id")}, {(Text(credentials, "expiresAt") is { } expiry ? $"expiring {expiry}" : "no expiry")}"
                : $"credentials: none ({Text(credentials, "error")})");
            if (body.TryGetProperty("bucket", out var bucketCheck))
            {
                Console.WriteLine(bucketCheck.GetProperty("ok").GetBoolean()
                    ? $"bucket {Text(bucketCheck, "name")}: reachable"
                    : $"bucket {Text(bucketCheck, "name")}: not reachable ({Text(bucketCheck, "error")})");
            }

            return body.GetProperty("ok").GetBoolean() ? 0 : 1;
        });

        return new Command("accounts", "Work with a running server's accounts.") { check };
    }

    private static string? Text(JsonElement element, string name) => ServerConnection.Text(element, name);
}
