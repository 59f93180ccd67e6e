using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Sluice.IntegrationTests.Credentials;
using Xunit.Abstractions;
using static Sluice.IntegrationTests.Http.HttpTestSupport;

namespace Sluice.IntegrationTests.Azure;

[CollectionDefinition(Name)]
public sealed class AzuriteOAuthCollection : ICollectionFixture<AzuriteOAuthFixture>
{
    public const string Name = "Azurite with OAuth";
}

/// <summary>
/// User delegation SAS, end to end: <c>sluice serve</c> as a process whose only trusted root is the
/// loopback certificate asks the local Entra ID endpoint for a token (an <c>AzureAccount</c>'s client
/// secret, or the workload identity's environment through DefaultAzureCredential), Azurite for a user
/// delegation key with it, and signs with the key; Azurite takes the URLs and refuses a tampered one.
/// </summary>
[Collection(AzuriteOAuthCollection.Name)]
public sealed class UserDelegationTests(AzuriteOAuthFixture azurite, ITestOutputHelper output)
{
    [Fact]
    public async Task An_application_account_signs_user_delegation_SAS_that_Azurite_honours_and_a_wrong_secret_is_a_503()
    {
        await using var server = await StartServerAsync(workload: false);
        string account = NewId("ud-app");
        await PutAsync(server, $"/AzureAccount/{account}", JsonSerializer.Serialize(new
        {
            sasType = "userDelegation",
            tenantId = azurite.Entra.TenantId,
            clientId = azurite.Entra.ClientId,
            clientSecret = azurite.Entra.ClientSecret,
            authorityHost = azurite.Entra.AuthorityHost.AbsoluteUri,
        }));
        string container = NewId("ud-cont");
        await PutAsync(server, $"/AzureContainer/{container}", JsonSerializer.Serialize(new
        {
            account = new { id = account, resourceType = "AzureAccount" },
            storage = AzuriteFixture.Account,
            container = azurite.ContainerName,
            endpoint = azurite.ServiceUrl.AbsoluteUri,
        }));
        int tokensBefore = azurite.Entra.TokensIssued;

        string blob = $"delegated/{Guid.NewGuid():N} ü.bin";
        byte[] bytes = RandomNumberGenerator.GetBytes(50_000);
        string putUrl = await SignAsync(server, HttpMethod.Post, $"/azure/storage/{container}", JsonSerializer.Serialize(new { blob }));
        Assert.Contains("skoid=" + azurite.Entra.ObjectId, putUrl);
        Assert.Equal(HttpStatusCode.Created, await SendAsync(HttpMethod.Put, putUrl, bytes));

        string getUrl = await SignAsync(server, HttpMethod.Get, $"/azure/storage/{container}/{Escape(blob)}");
        Assert.Equal(bytes, await azurite.Http.GetByteArrayAsync(getUrl));
        Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(HttpMethod.Get, Tamper(getUrl), null));

        // The key is kept: a second URL asks Entra ID for nothing more.
        int tokens = azurite.Entra.TokensIssued;
        Assert.Equal(1, tokens - tokensBefore);
        await SignAsync(server, HttpMethod.Get, $"/azure/storage/{container}/{Escape(blob)}");
        Assert.Equal(tokens, azurite.Entra.TokensIssued);

        // Another account with a wrong secret: no token, so no key: 503 saying why, and no secret in it.
        string wrong = NewId("ud-wrong");
        await PutAsync(server, $"/AzureAccount/{wrong}", JsonSerializer.Serialize(new
        {
            sasType = "userDelegation",
            tenantId = azurite.Entra.TenantId,
            clientId = azurite.Entra.ClientId,
            clientSecret = "not-the-secret",
            authorityHost = azurite.Entra.AuthorityHost.AbsoluteUri,
        }));
        string wrongContainer = NewId("ud-wrong-c");
        await PutAsync(server, $"/AzureContainer/{wrongContainer}", JsonSerializer.Serialize(new
        {
            account = new { id = wrong, resourceType = "AzureAccount" },
            storage = AzuriteFixture.Account,
            container = azurite.ContainerName,
            endpoint = azurite.ServiceUrl.AbsoluteUri,
        }));
        using var refused = await server.Client.GetAsync($"/azure/storage/{wrongContainer}/x.bin");
        var problem = await ReadProblemAsync(refused, HttpStatusCode.ServiceUnavailable);
        Assert.Contains("no Entra ID token", problem.GetProperty("detail").GetString());
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.DoesNotContain("not-the-secret", server.Output);
        Assert.DoesNotContain(azurite.Entra.ClientSecret, server.Output);
    }

    [Fact]
    public async Task The_workload_identity_signs_for_a_storage_account_with_no_resource()
    {
        await using var server = await StartServerAsync(workload: true);
        string blob = $"workload/{Guid.NewGuid():N}.txt";
        string putUrl = await SignAsync(server, HttpMethod.Post, $"/azure/storage/{AzuriteFixture.Account}/{azurite.ContainerName}", JsonSerializer.Serialize(new { blob }));
        Assert.StartsWith($"{azurite.ServiceUrl}/{azurite.ContainerName}/workload/", putUrl);
        Assert.Equal(HttpStatusCode.Created, await SendAsync(HttpMethod.Put, putUrl, "from the workload"u8.ToArray()));

        string getUrl = await SignAsync(server, HttpMethod.Get, $"/azure/storage/{AzuriteFixture.Account}/{azurite.ContainerName}/{blob}");
        Assert.Equal("from the workload", await azurite.Http.GetStringAsync(getUrl));
        string deleteUrl = await SignAsync(server, HttpMethod.Delete, $"/azure/storage/{AzuriteFixture.Account}/{azurite.ContainerName}/{blob}");
        Assert.Equal(HttpStatusCode.Accepted, await SendAsync(HttpMethod.Delete, deleteUrl, null));
        Assert.False((await azurite.Container.GetBlobClient(blob).ExistsAsync()).Value);
    }

    private Task<SluiceServerProcess> StartServerAsync(bool workload)
    {
        var environment = new Dictionary<string, string?>
        {
            ["SSL_CERT_FILE"] = azurite.Tls.CertificatePath,
            ["SLUICE_AZURE_BLOB_ENDPOINT"] = $"https://127.0.0.1:{azurite.Port}/{{storage}}",
        };
        if (workload)
        {
            environment["SLUICE_AZURE_WORKLOAD_IDENTITY"] = "true";
            environment["AZURE_TENANT_ID"] = azurite.Entra.TenantId;
            environment["AZURE_CLIENT_ID"] = azurite.Entra.ClientId;
            environment["AZURE_CLIENT_SECRET"] = azurite.Entra.ClientSecret;
            environment["AZURE_AUTHORITY_HOST"] = azurite.Entra.AuthorityHost.AbsoluteUri;
        }

        return SluiceServerProcess.StartAsync(environment, output);
    }

    private static async Task PutAsync(SluiceServerProcess server, string path, string json)
    {
        using var response = await server.Client.PutAsync(path, Json(json));
        await ReadJsonAsync(response, HttpStatusCode.Created);
    }

    private static async Task<string> SignAsync(SluiceServerProcess server, HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = json is null ? null : Json(json) };
        using var response = await server.Client.SendAsync(request);
        return (await ReadJsonAsync(response, HttpStatusCode.OK)).GetProperty("url").GetString()!;
    }

    private async Task<HttpStatusCode> SendAsync(HttpMethod method, string url, byte[]? body)
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Headers.Add("x-ms-blob-type", "BlockBlob");
        }

        using var response = await azurite.Http.SendAsync(request);
        return response.StatusCode;
    }

    private static string Tamper(string url)
    {
        int sig = url.IndexOf("sig=", StringComparison.Ordinal) + 4;
        return url[..sig] + (url[sig] == 'A' ? 'B' : 'A') + url[(sig + 1)..];
    }

    private static string Escape(string blob) => string.Join('/', blob.Split('/').Select(Uri.EscapeDataString));
}
