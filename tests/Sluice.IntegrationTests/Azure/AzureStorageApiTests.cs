using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Sluice.IntegrationTests.Http;
using Sluice.Server.Hosting;
using static Sluice.IntegrationTests.Http.HttpTestSupport;

namespace Sluice.IntegrationTests.Azure;

/// <summary>
/// Aidbox's Azure API on a real Kestrel listener, with the URLs it signs used against Azurite:
/// <c>AzureAccount</c> and <c>AzureContainer</c> resources, <c>/azure/storage/{container-id}</c>
/// uploads, downloads and deletes, scopes, bad input, and the rule between the container-id and
/// the workload-identity forms.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureStorageApiTests(AzuriteFixture azurite)
{
    private static readonly HttpClient Plain = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false });

    [Fact]
    public async Task A_container_signs_uploads_downloads_and_deletes_that_Azurite_honours()
    {
        await using var host = await SluiceTestHost.StartAsync();
        string containerId = await CreateContainerAsync(host, extension: "png");
        string blob = $"scans/{Guid.NewGuid():N}/päth with space+plus%25.bin";
        byte[] bytes = RandomNumberGenerator.GetBytes(100_000);

        // Upload: the answer says which header the PUT must carry, and Azurite takes the bytes.
        var upload = await PostJsonAsync(host, $"/azure/storage/{containerId}", JsonSerializer.Serialize(new { blob }), HttpStatusCode.OK);
        Assert.Equal("PUT", upload.GetProperty("method").GetString());
        Assert.Equal("BlockBlob", upload.GetProperty("headers").GetProperty("x-ms-blob-type").GetString());
        string putUrl = upload.GetProperty("url").GetString()!;
        using (var withoutHeader = await SendAsync(HttpMethod.Put, putUrl, bytes))
        {
            Assert.Equal(HttpStatusCode.BadRequest, withoutHeader.StatusCode); // Azure needs the blob type
        }

        using (var put = await SendAsync(HttpMethod.Put, putUrl, bytes, ("x-ms-blob-type", "BlockBlob")))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        Assert.Equal(bytes, (await azurite.Container.GetBlobClient(blob).DownloadContentAsync()).Value.Content.ToArray());

        // Download: JSON, expiry as Aidbox's default (1800 s); ?redirect=true: 302 to a URL that works.
        string path = $"/azure/storage/{containerId}/{Escape(blob)}";
        var download = await GetJsonAsync(host, path, HttpStatusCode.OK);
        DateTime expiresAt = download.GetProperty("expiresAt").GetDateTime();
        Assert.InRange(expiresAt - DateTime.UtcNow, TimeSpan.FromSeconds(1700), TimeSpan.FromSeconds(1800));
        using (var get = await Plain.GetAsync(download.GetProperty("url").GetString()))
        {
            Assert.Equal(bytes, await get.Content.ReadAsByteArrayAsync());
        }

        using (var redirect = await host.Client.GetAsync(path + "?redirect=true&expiration=60"))
        {
            Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
            Assert.Equal(bytes, await Plain.GetByteArrayAsync(redirect.Headers.Location));
        }

        // A download URL does not write: Azurite refuses it.
        using (var misuse = await SendAsync(HttpMethod.Put, download.GetProperty("url").GetString()!, [1, 2, 3], ("x-ms-blob-type", "BlockBlob")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, misuse.StatusCode);
        }

        // Delete.
        using (var deleteRequest = new HttpRequestMessage(HttpMethod.Delete, path))
        using (var delete = await host.Client.SendAsync(deleteRequest))
        {
            string deleteUrl = (await ReadJsonAsync(delete, HttpStatusCode.OK)).GetProperty("url").GetString()!;
            using var deleted = await SendAsync(HttpMethod.Delete, deleteUrl, null);
            Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        }

        Assert.False((await azurite.Container.GetBlobClient(blob).ExistsAsync()).Value);

        // No blob: a generated name with the container's extension (or the body's).
        var generated = await PostJsonAsync(host, $"/azure/storage/{containerId}", "{}", HttpStatusCode.OK);
        Assert.EndsWith(".png", generated.GetProperty("key").GetString());
        var withExtension = await PostJsonAsync(host, $"/azure/storage/{containerId}", "extension: csv", HttpStatusCode.OK, yaml: true);
        string name = withExtension.GetProperty("key").GetString()!;
        Assert.EndsWith(".csv", name);
        using (var put = await SendAsync(HttpMethod.Put, withExtension.GetProperty("url").GetString()!, [1], ("x-ms-blob-type", "BlockBlob")))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        Assert.True((await azurite.Container.GetBlobClient(name).ExistsAsync()).Value);
    }

    [Fact]
    public async Task Resources_are_validated_field_by_field_and_their_secrets_never_come_back()
    {
        await using var host = await SluiceTestHost.StartAsync();
        string accountId = NewId("az-acct");

        using (var bad = await host.Client.PutAsync($"/AzureAccount/{accountId}", Yaml("key: not base64 at all\nregion: westeurope\n")))
        {
            var problem = await AssertValidationProblemAsync(bad, "key", "region");
            Assert.DoesNotContain("not base64 at all", problem.ToString());
        }

        using (var delegation = await host.Client.PutAsync($"/AzureAccount/{accountId}", Yaml("sasType: userDelegation\ntenantId: not a tenant\nclientId: 123\nkey: " + AzuriteFixture.AccountKey + "\n")))
        {
            var problem = await AssertValidationProblemAsync(delegation, "tenantId", "clientId", "clientSecret", "key");
            Assert.DoesNotContain(AzuriteFixture.AccountKey, problem.ToString());
        }

        using (var created = await host.Client.PutAsync($"/AzureAccount/{accountId}", Yaml($"key: {AzuriteFixture.AccountKey}\n")))
        {
            string text = await created.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            Assert.DoesNotContain(AzuriteFixture.AccountKey, text);
            Assert.True(JsonDocument.Parse(text).RootElement.GetProperty("hasKey").GetBoolean());
        }

        string secret = "app-secret-" + Guid.NewGuid().ToString("N");
        string delegated = NewId("az-app");
        using (var app = await host.Client.PutAsync($"/AzureAccount/{delegated}", Json($$"""
            {"resourceType": "AzureAccount", "id": "{{delegated}}", "tenantId": "{{Guid.NewGuid()}}", "clientId": "{{Guid.NewGuid()}}", "clientSecret": "{{secret}}", "sasType": "userDelegation"}
            """)))
        {
            Assert.Equal(HttpStatusCode.Created, app.StatusCode);
        }

        foreach (string path in new[] { $"/AzureAccount/{delegated}", "/AzureAccount" })
        {
            string listed = await host.Client.GetStringAsync(path);
            Assert.DoesNotContain(secret, listed);
            Assert.DoesNotContain(AzuriteFixture.AccountKey, listed);
        }

        Assert.DoesNotContain(secret, host.LogText);
        Assert.DoesNotContain(AzuriteFixture.AccountKey, host.LogText);

        // Containers: the reference must be to an account that exists, and every name must be one Azure takes.
        string containerId = NewId("az-cont");
        using (var badContainer = await host.Client.PutAsync($"/AzureContainer/{containerId}", Json("""
            {"account": {"id": "no-such-account", "resourceType": "AzureAccount"}, "storage": "devstoreaccount1", "container": "ok-container"}
            """)))
        {
            await AssertValidationProblemAsync(badContainer, "account.id");
        }

        using (var badNames = await host.Client.PutAsync($"/AzureContainer/{containerId}", Json($$"""
            {"account": {"id": "{{accountId}}", "resourceType": "AwsAccount"}, "storage": "Not_A_Storage", "container": "Bad--Name", "extension": ".tar.gz", "endpoint": "ftp://x", "colour": "red"}
            """)))
        {
            await AssertValidationProblemAsync(badNames, "account.resourceType", "storage", "container", "extension", "endpoint", "colour");
        }

        using (var flat = await host.Client.PutAsync($"/AzureContainer/{containerId}", Yaml($"account: {accountId}\nstorage: devstoreaccount1\ncontainer: ok-container\n")))
        {
            await AssertValidationProblemAsync(flat, "account");
        }

        using (var ok = await host.Client.PutAsync($"/AzureContainer/{containerId}", Yaml($"account:\n  id: {accountId}\n  resourceType: AzureAccount\nstorage: devstoreaccount1\ncontainer: ok-container\n")))
        {
            var body = await ReadJsonAsync(ok, HttpStatusCode.Created);
            Assert.Equal(accountId, body.GetProperty("account").GetProperty("id").GetString());
        }

        // A blob name Azure cannot hold, and a container or account that is not there.
        foreach (string name in new[] { "ends-with-dot.", "a/./b", "back\\slash", "dir/" })
        {
            using var refused = await host.Client.GetAsync(host.RawUrl($"/azure/storage/{containerId}/{Escape(name)}"));
            await AssertValidationProblemAsync(refused, "blob");
        }

        using (var missing = await host.Client.GetAsync("/azure/storage/no-such-container/x.bin"))
        {
            Assert.Contains("workload identity is off", (await ReadProblemAsync(missing, HttpStatusCode.NotFound)).GetProperty("detail").GetString());
        }

        Assert.Equal(HttpStatusCode.NoContent, (await host.Client.DeleteAsync($"/AzureAccount/{accountId}")).StatusCode);
        using (var orphan = await host.Client.GetAsync($"/azure/storage/{containerId}/x.bin"))
        {
            var problem = await ReadProblemAsync(orphan, HttpStatusCode.ServiceUnavailable);
            Assert.Contains($"names AzureAccount '{accountId}', which does not exist", problem.GetProperty("detail").GetString());
        }

        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync($"/AzureAccount/{accountId}")).StatusCode);
    }

    [Fact]
    public async Task Token_scopes_name_the_container_id_and_match_blob_names()
    {
        await using var host = await SluiceTestHost.StartAsync();
        string containerId = await CreateContainerAsync(host);
        string reader = await CreateTokenAsync(host.Client, $$"""{"name":"reader","accounts":["{{containerId}}"],"buckets":["{{azurite.ContainerName}}"],"prefixes":["public/"],"methods":["GET"],"max-expiration":600}""");

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(host, reader, HttpMethod.Get, $"/azure/storage/{containerId}/public/report.pdf"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(host, reader, HttpMethod.Get, $"/azure/storage/{containerId}/private/report.pdf"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(host, reader, HttpMethod.Delete, $"/azure/storage/{containerId}/public/report.pdf"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(host, reader, HttpMethod.Get, $"/azure/storage/{containerId}/public/report.pdf?expiration=601"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(host, reader, HttpMethod.Get, "/AzureContainer"));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(host, null, HttpMethod.Get, $"/azure/storage/{containerId}/public/report.pdf"));

        // The token's max-expiration is the default when it is shorter than Aidbox's 1800 s.
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(host.BaseAddress, $"/azure/storage/{containerId}/public/report.pdf"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", reader);
        using var response = await Plain.SendAsync(request);
        DateTime expiresAt = (await ReadJsonAsync(response, HttpStatusCode.OK)).GetProperty("expiresAt").GetDateTime();
        Assert.InRange(expiresAt - DateTime.UtcNow, TimeSpan.FromSeconds(500), TimeSpan.FromSeconds(600));
    }

    [Fact]
    public async Task With_workload_identity_on_a_container_id_still_wins_and_other_paths_are_storage_accounts()
    {
        await using var host = await SluiceTestHost.StartAsync(settings: new Dictionary<string, string?>
        {
            [$"{SluiceOptions.Section}:{nameof(SluiceOptions.AzureWorkloadIdentity)}"] = "true",
        });
        string containerId = await CreateContainerAsync(host);

        // The first segment is a container's id: signed with its account key, whatever follows.
        var signed = await GetJsonAsync(host, $"/azure/storage/{containerId}/nested/blob.txt", HttpStatusCode.OK);
        Assert.Equal($"{azurite.ServiceUrl.AbsolutePath}{azurite.ContainerName}/nested/blob.txt", new Uri(signed.GetProperty("url").GetString()!).AbsolutePath);

        // Not a container's id: /{storage-account}/{container}/{blob}, signed with the workload identity,
        // which has no credentials here, so the answer is 503 saying so, with Retry-After.
        using (var workload = await host.Client.GetAsync("/azure/storage/otheraccount/some-container/blob.txt"))
        {
            var problem = await ReadProblemAsync(workload, HttpStatusCode.ServiceUnavailable);
            Assert.Contains("otheraccount", problem.GetProperty("detail").GetString());
            Assert.NotNull(workload.Headers.RetryAfter);
        }

        using (var badStorage = await host.Client.GetAsync("/azure/storage/Not_Storage/Bad--Container/blob.txt"))
        {
            await AssertValidationProblemAsync(badStorage, "storage", "container");
        }
    }

    private async Task<string> CreateContainerAsync(SluiceTestHost host, string? extension = null)
    {
        string accountId = NewId("az-acct");
        using (var account = await host.Client.PutAsync($"/AzureAccount/{accountId}", Yaml($"key: {AzuriteFixture.AccountKey}\n")))
        {
            Assert.Equal(HttpStatusCode.Created, account.StatusCode);
        }

        string containerId = NewId("az-cont");
        string extensionField = extension is null ? "" : $", \"extension\": \"{extension}\"";
        using var container = await host.Client.PutAsync($"/AzureContainer/{containerId}", Json($$"""
            {"resourceType": "AzureContainer", "account": {"id": "{{accountId}}", "resourceType": "AzureAccount"}, "storage": "{{AzuriteFixture.Account}}", "container": "{{azurite.ContainerName}}", "endpoint": "{{azurite.ServiceUrl}}"{{extensionField}}}
            """));
        Assert.Equal(HttpStatusCode.Created, container.StatusCode);
        return containerId;
    }

    private static string Escape(string blob) => string.Join('/', blob.Split('/').Select(Uri.EscapeDataString));

    private static async Task<JsonElement> GetJsonAsync(SluiceTestHost host, string path, HttpStatusCode expected)
    {
        using var response = await host.Client.GetAsync(path);
        return await ReadJsonAsync(response, expected);
    }

    private static async Task<JsonElement> PostJsonAsync(SluiceTestHost host, string path, string body, HttpStatusCode expected, bool yaml = false)
    {
        using var response = await host.Client.PostAsync(path, yaml ? Yaml(body) : Json(body));
        return await ReadJsonAsync(response, expected);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, byte[]? body, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        return await Plain.SendAsync(request);
    }

    private static async Task<HttpStatusCode> StatusAsync(SluiceTestHost host, string? token, HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, new Uri(host.BaseAddress, path));
        request.Headers.Authorization = token is null ? null : new AuthenticationHeaderValue("Bearer", token);
        using var response = await Plain.SendAsync(request);
        return response.StatusCode;
    }
}
