using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Npgsql;
using Sluice.IntegrationTests.Credentials;
using static Sluice.IntegrationTests.Http.HttpTestSupport;

namespace Sluice.IntegrationTests.Persistence;

/// <summary>
/// Real <c>sluice serve</c> processes on one PostgreSQL database with one encryption key, as
/// behind a load balancer, and what their tests do to them: tokens, accounts, presigns, and
/// PostgreSQL's own view of the connections and queries.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private readonly List<SluiceServerProcess> _instances = [];
    private readonly string _key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public PostgresCluster(string database)
    {
        Database = database;
    }

    public string Database { get; }

    /// <summary>Starts one more instance; <paramref name="extra"/> adds or overrides its variables.</summary>
    public async Task<SluiceServerProcess> StartAsync(IReadOnlyDictionary<string, string?>? extra = null)
    {
        var environment = new Dictionary<string, string?>
        {
            ["SLUICE_DATABASE"] = Database,
            ["SLUICE_ENCRYPTION_KEY"] = _key,
            ["Sluice__RateLimitPerSecond"] = "0",
        };
        foreach (var (name, value) in extra ?? new Dictionary<string, string?>())
        {
            environment[name] = value;
        }

        var instance = await SluiceServerProcess.StartAsync(environment);
        _instances.Add(instance);
        return instance;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }
    }

    /// <summary>Creates a token through <paramref name="instance"/>; returns its id and secret.</summary>
    public static async Task<(string Id, string Secret)> CreateTokenAsync(SluiceServerProcess instance, string name)
    {
        using var created = await instance.Client.PostAsync("/tokens", Json(JsonSerializer.Serialize(new { name })));
        var body = await ReadJsonAsync(created, HttpStatusCode.Created);
        return (body.GetProperty("id").GetString()!, body.GetProperty("token").GetString()!);
    }

    /// <summary>A download URL for <paramref name="account"/>, asked for with <paramref name="secret"/>.</summary>
    public static async Task<HttpResponseMessage> PresignAsync(SluiceServerProcess instance, string account, string secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/aws/storage/{account}/my-bucket/k");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return await instance.Client.SendAsync(request);
    }

    public static async Task<HttpStatusCode> PresignStatusAsync(SluiceServerProcess instance, string account, string secret)
    {
        using var response = await PresignAsync(instance, account, secret);
        return response.StatusCode;
    }

    /// <summary>The access key id a presign for <paramref name="account"/> signs with (admin token), or null when it is refused.</summary>
    public static async Task<string?> SigningKeyAsync(SluiceServerProcess instance, string account)
    {
        using var response = await instance.Client.GetAsync($"/aws/storage/{account}/my-bucket/k");
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return null;
        }

        string url = (await ReadJsonAsync(response, HttpStatusCode.OK)).GetProperty("url").GetString()!;
        string credential = Uri.UnescapeDataString(url.Split("X-Amz-Credential=")[1].Split('&')[0]);
        return credential.Split('/')[0];
    }

    /// <summary>Runs SQL on the cluster's database as the superuser (outside every instance).</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
