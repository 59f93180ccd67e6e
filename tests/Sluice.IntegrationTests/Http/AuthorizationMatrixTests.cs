using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using static Sluice.IntegrationTests.Http.HttpTestSupport;

namespace Sluice.IntegrationTests.Http;

/// <summary>
/// Every endpoint against every kind of token, through real HTTP: none, unknown, revoked and
/// expired are 401; admin may do everything; a scoped token may only presign inside its scope,
/// and a 403 names the right it lacks. Prefix checks hold against dot segments, encoded
/// slashes, case and look-alike characters.
/// </summary>
public sealed class AuthorizationMatrixTests(AuthorizationMatrixTests.Tokens tokens) : IClassFixture<AuthorizationMatrixTests.Tokens>
{
    private const string Account = "matrix";
    private const string Bucket = "allowed-bucket";
    private readonly SluiceTestHost _host = tokens.Host;
    private readonly HttpClient _anonymous = tokens.Anonymous;
    private readonly string _scoped = tokens.Scoped;
    private readonly string _revoked = tokens.Revoked;
    private readonly string _expired = tokens.Expired;

    /// <summary>One server for the class, with an account and a token of each kind.</summary>
    public sealed class Tokens : IAsyncLifetime
    {
        public SluiceTestHost Host { get; private set; } = null!;

        /// <summary>The host's own client sends the admin token by default; these requests choose their own.</summary>
        public HttpClient Anonymous { get; private set; } = null!;

        public string Scoped { get; private set; } = null!;

        public string Revoked { get; private set; } = null!;

        public string Expired { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Host = await SluiceTestHost.StartAsync();
            Anonymous = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = Host.BaseAddress };
            await PutAccountAsync(Host.Client, Account, "region: us-east-1\naccess-key-id: AKIAMATRIX\nsecret-access-key: matrix-secret\n");
            await PutAccountAsync(Host.Client, "other", "region: us-east-1\naccess-key-id: AKIAOTHER\nsecret-access-key: other-secret\n");
            Scoped = (await CreateTokenAsync(Host, $$"""{"name":"scoped","accounts":["{{Account}}"],"buckets":["{{Bucket}}"],"prefixes":["uploads/"],"methods":["GET","PUT"],"max-expiration":3600}""")).Secret;
            var revoked = await CreateTokenAsync(Host, """{"name":"revoked"}""");
            Revoked = revoked.Secret;
            using (var revoke = await Host.Client.DeleteAsync($"/tokens/{revoked.Id}"))
            {
                Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
            }

            Expired = (await CreateTokenAsync(Host, """{"name":"expiring","expires-in":1}""")).Secret;
            await Task.Delay(TimeSpan.FromSeconds(1.5));
        }

        public async Task DisposeAsync()
        {
            Anonymous.Dispose();
            await Host.DisposeAsync();
        }
    }

    public static TheoryData<string, string, string?> Endpoints => new()
    {
        { "PUT", "/AwsAccount/new-one", "region: us-east-1\n" },
        { "GET", $"/AwsAccount/{Account}", null },
        { "GET", "/AwsAccount", null },
        { "DELETE", "/AwsAccount/other", null },
        { "POST", $"/AwsAccount/{Account}/$check", null },
        { "POST", "/tokens", "name: made-by-test\n" },
        { "GET", "/tokens", null },
        { "DELETE", "/tokens/tok_absent", null },
        { "POST", $"/aws/storage/{Account}/{Bucket}", "filename: uploads/a.txt\n" },
        { "GET", $"/aws/storage/{Account}/{Bucket}/uploads/a.txt", null },
        { "DELETE", $"/aws/storage/{Account}/{Bucket}/uploads/a.txt", null },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Without_a_usable_token_every_endpoint_is_401_with_the_reason(string method, string path, string? body)
    {
        var cases = new (string? Token, string Reason)[]
        {
            (null, "no Authorization header; send Authorization: Bearer <token>"),
            ("sluice_not-a-real-token", "unknown token"),
            (_revoked, "the token was revoked"),
            (_expired, "the token has expired"),
        };
        foreach (var (token, reason) in cases)
        {
            using var response = await SendAsync(method, path, body, token);
            var problem = await ReadProblemAsync(response, HttpStatusCode.Unauthorized);
            Assert.Equal(reason, problem.GetProperty("detail").GetString());
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        }
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task The_admin_token_may_use_every_endpoint(string method, string path, string? body)
    {
        using var response = await SendAsync(method, path, body, _host.AdminToken);
        Assert.True((int)response.StatusCode is >= 200 and < 300 || response.StatusCode == HttpStatusCode.NotFound && path == "/tokens/tok_absent", $"{method} {path}: {(int)response.StatusCode}");
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task A_scoped_token_may_only_presign(string method, string path, string? body)
    {
        using var response = await SendAsync(method, path, body, _scoped);
        if (path.StartsWith("/aws/storage/", StringComparison.Ordinal) && method != "DELETE")
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        else
        {
            var problem = await ReadProblemAsync(response, HttpStatusCode.Forbidden);
            Assert.Contains(method == "DELETE" && path.StartsWith("/aws/", StringComparison.Ordinal) ? "may not sign DELETE URLs" : "admin scope", problem.GetProperty("detail").GetString());
        }
    }

    [Theory]
    [InlineData("GET", "/aws/storage/other/allowed-bucket/uploads/a.txt", "may not sign for account 'other'")]
    [InlineData("GET", "/aws/storage/matrix/another-bucket/uploads/a.txt", "may not sign for bucket 'another-bucket'")]
    [InlineData("DELETE", "/aws/storage/matrix/allowed-bucket/uploads/a.txt", "may not sign DELETE URLs")]
    [InlineData("GET", "/aws/storage/matrix/allowed-bucket/uploads/a.txt?expiration=3601", "may not sign URLs valid longer than 3600 seconds")]
    [InlineData("GET", "/aws/storage/matrix/allowed-bucket/downloads/a.txt", "outside its prefixes")]
    [InlineData("GET", "/aws/storage/matrix/allowed-bucket/Uploads/a.txt", "outside its prefixes")]
    [InlineData("GET", "/aws/storage/matrix/allowed-bucket/%EF%BD%95ploads/a.txt", "outside its prefixes")]
    [InlineData("GET", "/aws/storage/matrix/allowed-bucket/uploads", "outside its prefixes")]
    [InlineData("GET", "/aws/storage/matrix/allowed-bucket/uploadsX/a.txt", "outside its prefixes")]
    [InlineData("GET", "/aws/storage/matrix/allowed-bucket/uploads/../secret.txt", "'.' or '..' segments")]
    [InlineData("GET", "/aws/storage/matrix/allowed-bucket/uploads%2F..%2Fsecret.txt", "'.' or '..' segments")]
    [InlineData("GET", "/aws/storage/matrix/allowed-bucket/uploads/./a.txt", "'.' or '..' segments")]
    [InlineData("GET", "/aws/storage/matrix/allowed-bucket/uploads/%2E%2E/secret.txt", "'.' or '..' segments")]
    public async Task Outside_its_scope_a_token_gets_403_naming_the_missing_right(string method, string rawPath, string missing)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), _host.RawUrl(rawPath));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _scoped);
        using var response = await _anonymous.SendAsync(request);
        var problem = await ReadProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Contains(missing, problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("/aws/storage/matrix/allowed-bucket/uploads/deep/er/file.bin")]
    [InlineData("/aws/storage/matrix/allowed-bucket/uploads%2Fencoded-slash.bin")]
    [InlineData("/aws/storage/matrix/allowed-bucket/uploads/a.txt?expiration=3600")]
    public async Task Inside_its_scope_a_token_signs(string rawPath)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _host.RawUrl(rawPath));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _scoped);
        using var response = await _anonymous.SendAsync(request);
        var body = await ReadJsonAsync(response, HttpStatusCode.OK);
        Assert.Contains("/uploads", body.GetProperty("url").GetString());
    }

    [Fact]
    public async Task Token_secrets_are_shown_once_and_never_listed()
    {
        var created = await CreateTokenAsync("""{"name":"shown-once"}""");
        using var list = await _host.Client.GetAsync("/tokens");
        string text = await list.Content.ReadAsStringAsync();
        Assert.Contains(created.Id, text);
        Assert.DoesNotContain(created.Secret, text);
        Assert.DoesNotContain(created.Secret, _host.LogText);
        Assert.DoesNotContain(_host.AdminToken, _host.LogText);
    }

    private async Task<HttpResponseMessage> SendAsync(string method, string path, string? body, string? token)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), _host.RawUrl(path)) { Content = body is null ? null : Yaml(body) };
        request.Headers.Authorization = token is null ? null : new AuthenticationHeaderValue("Bearer", token);
        return await _anonymous.SendAsync(request);
    }

    private Task<(string Id, string Secret)> CreateTokenAsync(string json) => CreateTokenAsync(_host, json);

    private static async Task<(string Id, string Secret)> CreateTokenAsync(SluiceTestHost host, string json)
    {
        using var response = await host.Client.PostAsync("/tokens", Json(json));
        JsonElement token = await ReadJsonAsync(response, HttpStatusCode.Created);
        return (token.GetProperty("id").GetString()!, token.GetProperty("token").GetString()!);
    }
}
