using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Sluice.Core.Signing;
using static Sluice.IntegrationTests.Http.HttpTestSupport;
using Sluice.Core.Providers;

namespace Sluice.IntegrationTests.Http;

/// <summary>
/// Accounts outlive the process: a new server on the same data directory (and the same key,
/// generated or configured) lists them unchanged and signs with their decrypted secrets.
/// </summary>
public sealed class RestartTests
{
    private const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private const string Token = "FwoGZXIvYXdzEBYaDH+restart/token==";

    [Fact]
    public async Task Accounts_SurviveRestarts_WithTheGeneratedKey()
    {
        await using SluiceTestHost host = await SluiceTestHost.StartAsync();
        string keyFile = Path.Combine(host.DataDirectory, "encryption.key");
        string generatedKey = await File.ReadAllTextAsync(keyFile);

        var ids = await CreateAccountsAsync(host.Client);
        string listBefore = await ListAsync(host.Client);

        await host.RestartAsync();
        Assert.Equal(generatedKey, await File.ReadAllTextAsync(keyFile));
        Assert.Equal(listBefore, await ListAsync(host.Client));
        await AssertSignsAsync(host.Client, ids);

        // The restarted server keeps working on the same rows: a replace is a 200, not a create.
        await PutAccountAsync(host.Client, ids.Keys, $"region: eu-west-2\naccess-key-id: AKIAROTATED\nsecret-access-key: rotated-secret\n", HttpStatusCode.OK);
        string added = NewId("after-restart");
        await PutAccountAsync(host.Client, added, $"region: us-east-1\naccess-key-id: AKIAADDED\nsecret-access-key: added-secret\n");

        await host.RestartAsync();
        Assert.Equal(generatedKey, await File.ReadAllTextAsync(keyFile));
        await AssertUrlAsync(host.Client, ids.Keys, "https", "my-bucket.s3.eu-west-2.amazonaws.com", "/", "eu-west-2", new SigningCredentials("AKIAROTATED", "rotated-secret"));
        await AssertUrlAsync(host.Client, added, "https", "my-bucket.s3.us-east-1.amazonaws.com", "/", "us-east-1", new SigningCredentials("AKIAADDED", "added-secret"));
        await AssertUrlAsync(host.Client, ids.Token, "https", "my-bucket.s3.us-east-1.amazonaws.com", "/", "us-east-1", new SigningCredentials("ASIARESTART", Secret, Token));
    }

    [Fact]
    public async Task Accounts_SurviveRestarts_WithAConfiguredKey()
    {
        string key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        await using SluiceTestHost host = await SluiceTestHost.StartAsync(encryptionKey: key);
        Assert.Equal(key, host.EncryptionKey);

        // The configured key is the key: none is generated into the data directory.
        Assert.False(File.Exists(Path.Combine(host.DataDirectory, "encryption.key")));

        var ids = await CreateAccountsAsync(host.Client);
        string listBefore = await ListAsync(host.Client);

        await host.RestartAsync();
        Assert.False(File.Exists(Path.Combine(host.DataDirectory, "encryption.key")));
        Assert.Equal(listBefore, await ListAsync(host.Client));
        await AssertSignsAsync(host.Client, ids);

        await host.RestartAsync();
        await AssertSignsAsync(host.Client, ids);
    }

    [Fact]
    public async Task AnotherKey_OnExistingData_StopsTheStartWithAClearError()
    {
        string original = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        await using SluiceTestHost host = await SluiceTestHost.StartAsync(encryptionKey: original);
        await CreateAccountsAsync(host.Client);
        await host.StopAsync();

        string other = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var failure = Assert.Throws<Sluice.Server.Hosting.StartupException>(() => Sluice.Server.Hosting.SluiceServer.Build(
            ["--urls", "http://127.0.0.1:0"],
            builder => Microsoft.Extensions.Configuration.MemoryConfigurationBuilderExtensions.AddInMemoryCollection(
                builder.Configuration,
                new Dictionary<string, string?> { ["Sluice:DataDirectory"] = host.DataDirectory, ["Sluice:EncryptionKey"] = other })));

        Assert.Contains("encryption key", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(other, failure.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(original, failure.ToString(), StringComparison.Ordinal);

        // The right key still opens everything.
        await host.RestartAsync();
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/AwsAccount")).StatusCode);
    }

    [Fact]
    public async Task DeletedAccounts_StayDeletedAfterARestart()
    {
        await using SluiceTestHost host = await SluiceTestHost.StartAsync();
        var ids = await CreateAccountsAsync(host.Client);
        using (HttpResponseMessage deleted = await host.Client.DeleteAsync($"/AwsAccount/{ids.Keys}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        await host.RestartAsync();
        await AssertAccountAbsentAsync(host.Client, ids.Keys);
        using HttpResponseMessage presign = await host.Client.GetAsync($"/aws/storage/{ids.Keys}/my-bucket/k");
        await ReadProblemAsync(presign, HttpStatusCode.NotFound);
        await AssertUrlAsync(host.Client, ids.Token, "https", "my-bucket.s3.us-east-1.amazonaws.com", "/", "us-east-1", new SigningCredentials("ASIARESTART", Secret, Token));
    }

    private sealed record AccountIds(string Keys, string Token, string Minio, string DefaultChain);

    private static async Task<AccountIds> CreateAccountsAsync(HttpClient client)
    {
        var ids = new AccountIds(NewId("keys"), NewId("token"), NewId("minio"), NewId("chain"));
        await PutAccountAsync(client, ids.Keys, $"region: eu-central-1\naccess-key-id: AKIAIOSFODNN7EXAMPLE\nsecret-access-key: {Secret}\n");
        await PutAccountAsync(client, ids.Token, $"region: us-east-1\naccess-key-id: ASIARESTART\nsecret-access-key: {Secret}\nsession-token: '{Token}'\n");
        using (HttpResponseMessage json = await client.PutAsync($"/AwsAccount/{ids.Minio}", Json($$"""{"region":"us-east-1","host":"127.0.0.1:9000","path-style":true,"use-ssl":false,"access-key-id":"minioadmin","secret-access-key":"minio-secret-key"}""")))
        {
            await ReadJsonAsync(json, HttpStatusCode.Created);
        }

        await PutAccountAsync(client, ids.DefaultChain, "region: us-west-2\n");
        return ids;
    }

    private static async Task AssertSignsAsync(HttpClient client, AccountIds ids)
    {
        await AssertUrlAsync(client, ids.Keys, "https", "my-bucket.s3.eu-central-1.amazonaws.com", "/", "eu-central-1", new SigningCredentials("AKIAIOSFODNN7EXAMPLE", Secret));
        await AssertUrlAsync(client, ids.Token, "https", "my-bucket.s3.us-east-1.amazonaws.com", "/", "us-east-1", new SigningCredentials("ASIARESTART", Secret, Token));
        await AssertUrlAsync(client, ids.Minio, "http", "127.0.0.1:9000", "/my-bucket/", "us-east-1", new SigningCredentials("minioadmin", "minio-secret-key"));

        using HttpResponseMessage chain = await client.GetAsync($"/aws/storage/{ids.DefaultChain}/my-bucket/k");
        await ReadProblemAsync(chain, HttpStatusCode.ServiceUnavailable);

        using HttpResponseMessage account = await client.GetAsync($"/AwsAccount/{ids.Token}");
        AccountApiTests.AssertAccount(await ReadJsonAsync(account, HttpStatusCode.OK), ids.Token, "us-east-1", "ASIARESTART", null, false, true, "access-keys", true);
    }

    private static async Task AssertUrlAsync(HttpClient client, string account, string scheme, string authority, string prefix, string region, SigningCredentials credentials)
    {
        using HttpResponseMessage response = await client.GetAsync($"/aws/storage/{account}/my-bucket/dir/file%20name.txt?expiration=120");
        var (url, _) = await PresignAnswer.ReadAsync(response, "GET", 120);
        PresignApiTests.AssertSigned(url, ObjectMethod.Get, scheme, authority, prefix, "dir/file name.txt", "dir/file%20name.txt", region, credentials, 120);
    }

    private static async Task<string> ListAsync(HttpClient client)
    {
        using HttpResponseMessage response = await client.GetAsync("/AwsAccount");
        JsonElement list = await ReadJsonAsync(response, HttpStatusCode.OK);
        Assert.Equal(4, list.GetProperty("items").GetArrayLength());
        return list.GetRawText();
    }
}
