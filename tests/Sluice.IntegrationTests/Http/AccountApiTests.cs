using System.Net;
using System.Text.Json;
using static Sluice.IntegrationTests.Http.HttpTestSupport;

namespace Sluice.IntegrationTests.Http;

/// <summary><c>/AwsAccount</c> over a real listener: create, replace, read, list and delete, in YAML and JSON.</summary>
public sealed class AccountApiTests(SluiceHostFixture fixture) : IClassFixture<SluiceHostFixture>
{
    private static readonly string[] ResponseFields =
        ["access-key-id", "credentials", "has-session-token", "host", "id", "path-style", "region", "resourceType", "use-ssl"];

    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task Put_SeedYamlWithAccessKeys_Creates201_ThenReplaces200()
    {
        string id = NewId("seed-keys");
        const string seedBody = "region: us-east-1\naccess-key-id: AKIAIOSFODNN7EXAMPLE\nsecret-access-key: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n";

        using (HttpResponseMessage created = await Client.PutAsync($"/AwsAccount/{id}", Yaml(seedBody)))
        {
            Assert.Equal("text/yaml", created.RequestMessage!.Content!.Headers.ContentType!.ToString());
            JsonElement body = await ReadJsonAsync(created, HttpStatusCode.Created);
            Assert.Equal($"/AwsAccount/{id}", created.Headers.Location?.OriginalString);
            AssertAccount(body, id, "us-east-1", "AKIAIOSFODNN7EXAMPLE", host: null, pathStyle: false, useSsl: true, "access-keys", hasSessionToken: false);
        }

        using (HttpResponseMessage replaced = await Client.PutAsync($"/AwsAccount/{id}", Yaml(seedBody.Replace("us-east-1", "eu-west-3", StringComparison.Ordinal))))
        {
            JsonElement body = await ReadJsonAsync(replaced, HttpStatusCode.OK);
            Assert.Null(replaced.Headers.Location);
            AssertAccount(body, id, "eu-west-3", "AKIAIOSFODNN7EXAMPLE", host: null, pathStyle: false, useSsl: true, "access-keys", hasSessionToken: false);
        }

        using HttpResponseMessage read = await Client.GetAsync($"/AwsAccount/{id}");
        AssertAccount(await ReadJsonAsync(read, HttpStatusCode.OK), id, "eu-west-3", "AKIAIOSFODNN7EXAMPLE", null, false, true, "access-keys", false);
    }

    [Fact]
    public async Task Put_SeedYamlRegionOnly_UsesTheDefaultChain()
    {
        string id = NewId("seed-default");
        using HttpResponseMessage created = await Client.PutAsync($"/AwsAccount/{id}", Yaml("region: us-east-1\n"));
        AssertAccount(await ReadJsonAsync(created, HttpStatusCode.Created), id, "us-east-1", null, null, false, true, "default-chain", false);

        using HttpResponseMessage read = await Client.GetAsync($"/AwsAccount/{id}");
        AssertAccount(await ReadJsonAsync(read, HttpStatusCode.OK), id, "us-east-1", null, null, false, true, "default-chain", false);
    }

    [Fact]
    public async Task Put_SeedYamlS3Compatible_RoundTripsHostPathStyleAndUseSsl()
    {
        string id = NewId("seed-minio");
        const string body = "host: 127.0.0.1:9000\npath-style: true\nuse-ssl: false\nregion: us-east-1\naccess-key-id: minioadmin\nsecret-access-key: minioadmin-secret\n";
        using HttpResponseMessage created = await Client.PutAsync($"/AwsAccount/{id}", Yaml(body));
        AssertAccount(await ReadJsonAsync(created, HttpStatusCode.Created), id, "us-east-1", "minioadmin", "127.0.0.1:9000", true, false, "access-keys", false);

        using HttpResponseMessage read = await Client.GetAsync($"/AwsAccount/{id}");
        AssertAccount(await ReadJsonAsync(read, HttpStatusCode.OK), id, "us-east-1", "minioadmin", "127.0.0.1:9000", true, false, "access-keys", false);
    }

    [Fact]
    public async Task Put_Json_CreatesThenReplaces()
    {
        string id = NewId("json");
        string json = $$"""
            {"id": "{{id}}", "resourceType": "AwsAccount", "region": "ap-southeast-2", "access-key-id": "AKIAJSON", "secret-access-key": "json-secret",
             "session-token": "json-token", "host": "minio.example.com:9443", "path-style": false, "use-ssl": true}
            """;
        using (HttpResponseMessage created = await Client.PutAsync($"/AwsAccount/{id}", Json(json)))
        {
            AssertAccount(await ReadJsonAsync(created, HttpStatusCode.Created), id, "ap-southeast-2", "AKIAJSON", "minio.example.com:9443", false, true, "access-keys", true);
        }

        using (HttpResponseMessage replaced = await Client.PutAsync($"/AwsAccount/{id}", Body("""{"region":"us-west-2","path-style":true,"use-ssl":false,"host":"[::1]:9000"}""", "application/json; charset=utf-8")))
        {
            AssertAccount(await ReadJsonAsync(replaced, HttpStatusCode.OK), id, "us-west-2", null, "[::1]:9000", true, false, "default-chain", false);
        }

        using HttpResponseMessage read = await Client.GetAsync($"/AwsAccount/{id}");
        AssertAccount(await ReadJsonAsync(read, HttpStatusCode.OK), id, "us-west-2", null, "[::1]:9000", true, false, "default-chain", false);
    }

    [Fact]
    public async Task Put_WithoutContentType_IsReadAsYaml()
    {
        string id = NewId("no-type");
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/AwsAccount/{id}") { Content = Body("region: eu-north-1\naccess-key-id: AKIANOTYPE\nsecret-access-key: s3cr3t\n", contentType: null) };
        Assert.Null(request.Content.Headers.ContentType);
        using HttpResponseMessage created = await Client.SendAsync(request);
        AssertAccount(await ReadJsonAsync(created, HttpStatusCode.Created), id, "eu-north-1", "AKIANOTYPE", null, false, true, "access-keys", false);
    }

    [Theory]
    [InlineData("application/yaml")]
    [InlineData("text/yaml; charset=utf-8")]
    [InlineData("application/x-yaml")]
    [InlineData("TEXT/YAML; CHARSET=UTF-8")]
    [InlineData("text/yaml; charset=\"utf-8\"")]
    public async Task Put_OtherYamlMediaTypes_AreAccepted(string contentType)
    {
        string id = NewId("yaml-type");
        using HttpResponseMessage created = await Client.PutAsync($"/AwsAccount/{id}", Body("# a comment\nregion: 'ca-central-1'\npath-style: \"true\"\n", contentType));
        AssertAccount(await ReadJsonAsync(created, HttpStatusCode.Created), id, "ca-central-1", null, null, true, true, "default-chain", false);
    }

    /// <summary>A UTF-8 byte order mark (Windows editors write one) is not part of the first field name.</summary>
    [Theory]
    [InlineData("text/yaml", "region: us-east-1\naccess-key-id: AKIABOM\nsecret-access-key: bom-secret\n")]
    [InlineData("application/json", """{"region":"us-east-1","access-key-id":"AKIABOM","secret-access-key":"bom-secret"}""")]
    public async Task Put_BodyWithUtf8ByteOrderMark_IsAccepted(string contentType, string body)
    {
        string id = NewId("bom");
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. System.Text.Encoding.UTF8.GetBytes(body)];
        using HttpResponseMessage created = await Client.PutAsync($"/AwsAccount/{id}", Body(bytes, contentType));
        AssertAccount(await ReadJsonAsync(created, HttpStatusCode.Created), id, "us-east-1", "AKIABOM", null, false, true, "access-keys", false);
    }

    [Fact]
    public async Task Replace_IsNotAMerge_FieldsLeftOutFallBackToTheirDefaults()
    {
        string id = NewId("replace");
        await PutAccountAsync(Client, id, "region: us-east-1\naccess-key-id: AKIAREPLACE\nsecret-access-key: replace-secret\nsession-token: replace-token\nhost: minio:9000\npath-style: true\nuse-ssl: false\n");
        JsonElement replaced = await PutAccountAsync(Client, id, "region: us-east-2\n", HttpStatusCode.OK);
        AssertAccount(replaced, id, "us-east-2", null, null, false, true, "default-chain", false);

        using HttpResponseMessage read = await Client.GetAsync($"/AwsAccount/{id}");
        AssertAccount(await ReadJsonAsync(read, HttpStatusCode.OK), id, "us-east-2", null, null, false, true, "default-chain", false);
    }

    [Fact]
    public async Task List_ReturnsEveryAccountInItems_SortedById()
    {
        string prefix = NewId("list");
        string first = prefix + "-a";
        string second = prefix + "-b";
        await PutAccountAsync(Client, second, "region: us-east-1\n");
        await PutAccountAsync(Client, first, "region: eu-west-1\naccess-key-id: AKIALIST\nsecret-access-key: list-secret\nhost: 127.0.0.1:9000\npath-style: true\nuse-ssl: false\n");

        using HttpResponseMessage response = await Client.GetAsync("/AwsAccount");
        JsonElement list = await ReadJsonAsync(response, HttpStatusCode.OK);
        Assert.Equal(["items"], list.EnumerateObject().Select(p => p.Name).ToArray());
        JsonElement[] items = list.GetProperty("items").EnumerateArray().ToArray();
        string[] ids = items.Select(i => i.GetProperty("id").GetString()!).ToArray();
        Assert.Equal(ids.Order(StringComparer.Ordinal).ToArray(), ids);

        JsonElement[] ours = items.Where(i => i.GetProperty("id").GetString()!.StartsWith(prefix, StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, ours.Length);
        AssertAccount(ours[0], first, "eu-west-1", "AKIALIST", "127.0.0.1:9000", true, false, "access-keys", false);
        AssertAccount(ours[1], second, "us-east-1", null, null, false, true, "default-chain", false);
    }

    [Fact]
    public async Task Delete_Answers204_ThenTheAccountIsGone()
    {
        string id = NewId("delete");
        await PutAccountAsync(Client, id, "region: us-east-1\naccess-key-id: AKIADELETE\nsecret-access-key: delete-secret\n");

        using (HttpResponseMessage deleted = await Client.DeleteAsync($"/AwsAccount/{id}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
            Assert.Empty(await deleted.Content.ReadAsByteArrayAsync());
        }

        using (HttpResponseMessage read = await Client.GetAsync($"/AwsAccount/{id}"))
        {
            JsonElement problem = await ReadProblemAsync(read, HttpStatusCode.NotFound);
            Assert.Contains(id, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        using (HttpResponseMessage again = await Client.DeleteAsync($"/AwsAccount/{id}"))
        {
            await ReadProblemAsync(again, HttpStatusCode.NotFound);
        }

        using (HttpResponseMessage list = await Client.GetAsync("/AwsAccount"))
        {
            JsonElement items = (await ReadJsonAsync(list, HttpStatusCode.OK)).GetProperty("items");
            Assert.DoesNotContain(items.EnumerateArray(), i => i.GetProperty("id").GetString() == id);
        }

        // Deleted means deleted: the same id is created afresh.
        await PutAccountAsync(Client, id, "region: us-east-1\n", HttpStatusCode.Created);
    }

    [Fact]
    public async Task Get_UnknownAccount_Is404Problem()
    {
        string id = NewId("never-created");
        using HttpResponseMessage response = await Client.GetAsync($"/AwsAccount/{id}");
        JsonElement problem = await ReadProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Equal($"No AwsAccount with id '{id}'.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Put_IdOfSixtyFourAllowedCharacters_IsAccepted()
    {
        string id = ("Az09._-" + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N"))[..64];
        JsonElement created = await PutAccountAsync(Client, id, "region: us-east-1\n");
        Assert.Equal(id, created.GetProperty("id").GetString());

        using HttpResponseMessage read = await Client.GetAsync($"/AwsAccount/{id}");
        Assert.Equal(id, (await ReadJsonAsync(read, HttpStatusCode.OK)).GetProperty("id").GetString());
    }

    internal static void AssertAccount(JsonElement account, string id, string region, string? accessKeyId, string? host, bool pathStyle, bool useSsl, string credentials, bool hasSessionToken)
    {
        Assert.Equal(ResponseFields, account.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(id, account.GetProperty("id").GetString());
        Assert.Equal("AwsAccount", account.GetProperty("resourceType").GetString());
        Assert.Equal(region, account.GetProperty("region").GetString());
        Assert.Equal(accessKeyId, NullableString(account.GetProperty("access-key-id")));
        Assert.Equal(host, NullableString(account.GetProperty("host")));
        Assert.Equal(pathStyle, account.GetProperty("path-style").GetBoolean());
        Assert.Equal(useSsl, account.GetProperty("use-ssl").GetBoolean());
        Assert.Equal(credentials, account.GetProperty("credentials").GetString());
        Assert.Equal(hasSessionToken, account.GetProperty("has-session-token").GetBoolean());
    }

    private static string? NullableString(JsonElement value) => value.ValueKind == JsonValueKind.Null ? null : value.GetString();
}
