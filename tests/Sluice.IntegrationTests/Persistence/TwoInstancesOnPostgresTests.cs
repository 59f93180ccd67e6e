using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sluice.Core.Credentials;
using Sluice.Core.Signing;
using Sluice.IntegrationTests.Http;
using Sluice.Server.Hosting;
using static Sluice.IntegrationTests.Http.HttpTestSupport;
using Sluice.Core.Providers;

namespace Sluice.IntegrationTests.Persistence;

/// <summary>
/// Two Sluice servers, each on its own Kestrel listener and data directory, on one PostgreSQL
/// database with one encryption key, as behind a load balancer: what one writes, the other
/// serves at once; what one deletes, neither signs for any more.
/// </summary>
public sealed class TwoInstancesOnPostgresTests : IAsyncLifetime
{
    private const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    private readonly string _key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private readonly string _adminToken = "sluice_test_admin_" + Guid.NewGuid().ToString("N");
    private string _database = null!;
    private Instance _a = null!;
    private Instance _b = null!;

    public async Task InitializeAsync()
    {
        _database = await TestPostgres.CreateDatabaseAsync();

        // Started together: both run the migrations on the empty database at once.
        Instance[] started = await Task.WhenAll(Task.Run(StartAsync), Task.Run(StartAsync));
        (_a, _b) = (started[0], started[1]);
    }

    public async Task DisposeAsync()
    {
        foreach (Instance? instance in new[] { _a, _b })
        {
            if (instance is not null)
            {
                await instance.DisposeAsync();
            }
        }

        await TestPostgres.DropDatabaseAsync(_database);
    }

    [Fact]
    public async Task AnAccountWrittenThroughOne_IsServedByTheOther_AndADeleteStopsBoth()
    {
        Assert.NotEqual(_a.BaseAddress, _b.BaseAddress);
        Assert.NotEqual(_a.DataDirectory, _b.DataDirectory);
        string id = NewId("two-instances");

        // Written through A: B reads and signs with it at once.
        await PutAccountAsync(_a.Client, id, $"region: eu-central-1\naccess-key-id: AKIAFROMINSTANCEA\nsecret-access-key: {Secret}\n");
        using (HttpResponseMessage account = await _b.Client.GetAsync($"/AwsAccount/{id}"))
        {
            var body = await ReadJsonAsync(account, HttpStatusCode.OK);
            Assert.Equal("AKIAFROMINSTANCEA", body.GetProperty("access-key-id").GetString());
        }

        await AssertSignsAsync(_b, id, "eu-central-1", new SigningCredentials("AKIAFROMINSTANCEA", Secret));
        await AssertSignsAsync(_a, id, "eu-central-1", new SigningCredentials("AKIAFROMINSTANCEA", Secret));

        // Replaced through B (a 200, not a create): A signs with the new keys on its next request.
        await PutAccountAsync(_b.Client, id, "region: eu-central-1\naccess-key-id: AKIAROTATEDBYB\nsecret-access-key: rotated-by-b\n", HttpStatusCode.OK);
        await AssertSignsAsync(_a, id, "eu-central-1", new SigningCredentials("AKIAROTATEDBYB", "rotated-by-b"));

        using (HttpResponseMessage list = await _a.Client.GetAsync("/AwsAccount"))
        {
            var items = (await ReadJsonAsync(list, HttpStatusCode.OK)).GetProperty("items");
            Assert.Contains(items.EnumerateArray(), item => item.GetProperty("id").GetString() == id);
        }

        // Deleted through A: neither serves nor signs for it any more.
        using (HttpResponseMessage deleted = await _a.Client.DeleteAsync($"/AwsAccount/{id}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        foreach (Instance instance in new[] { _a, _b })
        {
            await AssertAccountAbsentAsync(instance.Client, id);
            using HttpResponseMessage presign = await instance.Client.GetAsync($"/aws/storage/{id}/my-bucket/dir/file.txt");
            await ReadProblemAsync(presign, HttpStatusCode.NotFound);
            using HttpResponseMessage upload = await instance.Client.PostAsync($"/aws/storage/{id}/my-bucket", Yaml("filename: dir/file.txt"));
            await ReadProblemAsync(upload, HttpStatusCode.NotFound);
        }

        using (HttpResponseMessage again = await _b.Client.DeleteAsync($"/AwsAccount/{id}"))
        {
            await ReadProblemAsync(again, HttpStatusCode.NotFound);
        }
    }

    [Fact]
    public async Task AzureResourcesWrittenThroughOne_SignOnTheOther_AKeyRotationReachesIt_AndADeleteStopsBoth()
    {
        string account = NewId("az-two");
        string container = NewId("az-two-c");
        byte[] firstKey = RandomNumberGenerator.GetBytes(64), rotatedKey = RandomNumberGenerator.GetBytes(64);
        await PutAsync(_a.Client, $"/AzureAccount/{account}", $"key: {Convert.ToBase64String(firstKey)}\n", HttpStatusCode.Created);
        await PutAsync(_a.Client, $"/AzureContainer/{container}", $"account: {{id: {account}, resourceType: AzureAccount}}\nstorage: twoinstances\ncontainer: shared-data\n", HttpStatusCode.Created);
        await AssertSasAsync(_b, container, firstKey);

        await PutAsync(_b.Client, $"/AzureAccount/{account}", $"key: {Convert.ToBase64String(rotatedKey)}\n", HttpStatusCode.OK);
        await AssertSasAsync(_a, container, rotatedKey);

        using (HttpResponseMessage deleted = await _a.Client.DeleteAsync($"/AzureContainer/{container}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        foreach (Instance instance in new[] { _a, _b })
        {
            using HttpResponseMessage gone = await instance.Client.GetAsync($"/azure/storage/{container}/report.pdf");
            await ReadProblemAsync(gone, HttpStatusCode.NotFound);
        }

        static async Task PutAsync(HttpClient client, string path, string yaml, HttpStatusCode expected)
        {
            using HttpResponseMessage response = await client.PutAsync(path, Yaml(yaml));
            await ReadJsonAsync(response, expected);
        }

        // The URL is the one our signer writes with that key for the same expiry: the instance signed with it.
        static async Task AssertSasAsync(Instance instance, string container, byte[] key)
        {
            using HttpResponseMessage response = await instance.Client.GetAsync($"/azure/storage/{container}/report.pdf");
            var url = new Uri((await ReadJsonAsync(response, HttpStatusCode.OK)).GetProperty("url").GetString()!);
            var expiry = DateTimeOffset.Parse(System.Web.HttpUtility.ParseQueryString(url.Query)["se"]!, System.Globalization.CultureInfo.InvariantCulture);
            string expected = new Sluice.Core.Providers.Azure.BlobSasSigner("twoinstances", key)
                .Url("https://twoinstances.blob.core.windows.net/", "shared-data", "report.pdf", Sluice.Core.Providers.Azure.SasPermissionLetters.For(ObjectMethod.Get), expiry, null, Sluice.Core.Providers.Azure.SasProtocol.Https);
            Assert.Equal(expected, url.AbsoluteUri);
        }
    }

    [Fact]
    public async Task ManyAccounts_WrittenThroughBoth_AreListedAlikeByBoth()
    {
        string prefix = NewId("both");
        var ids = Enumerable.Range(0, 10).Select(i => $"{prefix}-{i}").ToArray();
        await Task.WhenAll(ids.Select((id, i) => PutAccountAsync((i % 2 == 0 ? _a : _b).Client, id, $"region: us-east-1\naccess-key-id: AKIAMANY{i}\nsecret-access-key: many-{i}\n")));

        string[] listedByA = await ListIdsAsync(_a, prefix);
        string[] listedByB = await ListIdsAsync(_b, prefix);
        Assert.Equal(ids.Order(StringComparer.Ordinal), listedByA);
        Assert.Equal(listedByA, listedByB);
    }

    [Fact]
    public async Task ATokenCreatedThroughOne_WorksOnTheOther_AndARevokeStopsItOnBoth()
    {
        using var created = await _a.Client.PostAsync("/tokens", new StringContent("{\"name\":\"shared\"}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var body = System.Text.Json.JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        string id = body.RootElement.GetProperty("id").GetString()!;
        string secret = body.RootElement.GetProperty("token").GetString()!;

        await PutAccountAsync(_a.Client, "token-target", $"region: us-east-1\naccess-key-id: AKIATOKEN\nsecret-access-key: {Secret}\n");
        async Task<HttpStatusCode> PresignWithAsync(Instance instance)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/aws/storage/token-target/my-bucket/k");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", secret);
            using var response = await instance.Client.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await PresignWithAsync(_b));
        using (var revoked = await _b.Client.DeleteAsync($"/tokens/{id}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await PresignWithAsync(_a));
        Assert.Equal(HttpStatusCode.Unauthorized, await PresignWithAsync(_b));
    }

    private static async Task<string[]> ListIdsAsync(Instance instance, string prefix)
    {
        using HttpResponseMessage list = await instance.Client.GetAsync("/AwsAccount");
        return (await ReadJsonAsync(list, HttpStatusCode.OK)).GetProperty("items").EnumerateArray()
            .Select(item => item.GetProperty("id").GetString()!)
            .Where(id => id.StartsWith(prefix, StringComparison.Ordinal))
            .ToArray();
    }

    private static async Task AssertSignsAsync(Instance instance, string id, string region, SigningCredentials credentials)
    {
        using HttpResponseMessage response = await instance.Client.GetAsync($"/aws/storage/{id}/my-bucket/dir/file%20name.txt?expiration=120");
        var (url, _) = await PresignAnswer.ReadAsync(response, "GET", 120);
        PresignApiTests.AssertSigned(url, ObjectMethod.Get, "https", $"my-bucket.s3.{region}.amazonaws.com", "/", "dir/file name.txt", "dir/file%20name.txt", region, credentials, 120);
    }

    private async Task<Instance> StartAsync()
    {
        string directory = Path.Combine(Path.GetTempPath(), "sluice-pg-instance-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        WebApplication? app = null;
        try
        {
            app = SluiceServer.Build(["--urls", "http://127.0.0.1:0"], builder =>
            {
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Sluice:DataDirectory"] = directory,
                    ["Sluice:EncryptionKey"] = _key,
                    ["Sluice:Database"] = _database,
                    ["Sluice:AdminToken"] = _adminToken,
                });

                // Keyless accounts would resolve against this machine: give them nothing.
                var variables = new Dictionary<string, string>
                {
                    ["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(directory, "no-aws-credentials"),
                    ["AWS_EC2_METADATA_DISABLED"] = "true",
                };
                builder.Services.AddSingleton(new CredentialEnvironment(name => variables.GetValueOrDefault(name)));
                builder.Logging.ClearProviders();
            });
            await app.StartAsync();
            string address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
            var baseAddress = new Uri(address.TrimEnd('/') + "/");
            Assert.Equal("127.0.0.1", baseAddress.Host);
            var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
            {
                BaseAddress = baseAddress,
                Timeout = TimeSpan.FromSeconds(30),
                DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", _adminToken) },
            };
            return new Instance(app, client, baseAddress, directory);
        }
        catch
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }

            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    private sealed record Instance(WebApplication App, HttpClient Client, Uri BaseAddress, string DataDirectory) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await App.StopAsync();
            await App.DisposeAsync();
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}
