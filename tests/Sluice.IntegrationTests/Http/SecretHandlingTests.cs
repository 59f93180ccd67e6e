using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Sluice.Core.Signing;
using static Sluice.IntegrationTests.Http.HttpTestSupport;

namespace Sluice.IntegrationTests.Http;

/// <summary>
/// The secret access key and the session token never leave the server except where SigV4 puts
/// them (the token is the X-Amz-Security-Token of a URL it signs): not in any other response
/// body or header, not in any log line of any category at any level, and not in plain text in
/// the database files. The generated encryption key is readable by its owner only.
/// </summary>
public sealed class SecretHandlingTests : IAsyncLifetime
{
    // Distinctive, and made of unreserved characters only, so no JSON or URL escaping can hide a leak.
    private readonly string _secret = "SLUICEsecretMARKER" + RandomHex(20);
    private readonly string _token = "SLUICEtokenMARKER" + RandomHex(40);
    private readonly string _accessKey = "AKIASLUICE" + RandomHex(6).ToUpperInvariant();
    private SluiceTestHost _host = null!;

    public async Task InitializeAsync() => _host = await SluiceTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Secrets_AppearInNoResponseAndNoLogLine()
    {
        HttpClient client = _host.Client;
        var exchanges = new List<(string Name, HttpResponseMessage Response, string Body)>();
        async Task<HttpResponseMessage> Send(string name, HttpRequestMessage request)
        {
            HttpResponseMessage response = await client.SendAsync(request);
            exchanges.Add((name, response, await response.Content.ReadAsStringAsync()));
            Assert.True((int)response.StatusCode < 500 || response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{name}: {(int)response.StatusCode}");
            return response;
        }

        HttpRequestMessage Request(HttpMethod method, string path, HttpContent? content = null) => new(method, path) { Content = content };

        string withToken = NewId("secret-yaml");
        string withKeys = NewId("secret-json");
        string noKeys = NewId("secret-chain");
        string keysYaml = $"region: us-east-1\naccess-key-id: {_accessKey}\nsecret-access-key: {_secret}\nsession-token: {_token}\n";

        // Accounts: create, replace, read, list, in YAML and JSON.
        Assert.Equal(HttpStatusCode.Created, (await Send("put yaml", Request(HttpMethod.Put, $"/AwsAccount/{withToken}", Yaml(keysYaml)))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Send("replace yaml", Request(HttpMethod.Put, $"/AwsAccount/{withToken}", Yaml(keysYaml)))).StatusCode);
        string json = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["region"] = "eu-west-1", ["access-key-id"] = _accessKey, ["secret-access-key"] = _secret, ["host"] = "127.0.0.1:9000", ["path-style"] = true, ["use-ssl"] = false,
        });
        Assert.Equal(HttpStatusCode.Created, (await Send("put json", Request(HttpMethod.Put, $"/AwsAccount/{withKeys}", Json(json)))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Send("put default chain", Request(HttpMethod.Put, $"/AwsAccount/{noKeys}", Yaml("region: us-east-1\n")))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Send("get", Request(HttpMethod.Get, $"/AwsAccount/{withToken}"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Send("get json", Request(HttpMethod.Get, $"/AwsAccount/{withKeys}"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Send("list", Request(HttpMethod.Get, "/AwsAccount"))).StatusCode);

        // Refused account bodies that carry the secret and the token.
        var refused = new (string Name, HttpContent Content, HttpStatusCode Status)[]
        {
            ("misspelt secret field", Yaml($"region: us-east-1\naccess-key-id: {_accessKey}\nsecret-acces-key: {_secret}\nsession-tokn: {_token}\n"), HttpStatusCode.BadRequest),
            ("secret without access key", Yaml($"region: us-east-1\nsecret-access-key: {_secret}\nsession-token: {_token}\n"), HttpStatusCode.BadRequest),
            ("secret with bad host", Yaml(keysYaml + "host: http://minio:9000\n"), HttpStatusCode.BadRequest),
            ("secret with bad region", Yaml(keysYaml.Replace("us-east-1", "US EAST", StringComparison.Ordinal)), HttpStatusCode.BadRequest),
            ("secret given twice", Yaml(keysYaml + $"secret-access-key: {_secret}\n"), HttpStatusCode.BadRequest),
            ("token given twice (json)", Json($$"""{"region":"us-east-1","access-key-id":"{{_accessKey}}","secret-access-key":"{{_secret}}","session-token":"{{_token}}","session-token":"{{_token}}"}"""), HttpStatusCode.BadRequest),
            ("secret in a list", Yaml($"region: us-east-1\naccess-key-id: {_accessKey}\nsecret-access-key: [{_secret}]\n"), HttpStatusCode.BadRequest),
            ("token in an object (json)", Json($$"""{"region":"us-east-1","access-key-id":"{{_accessKey}}","secret-access-key":"{{_secret}}","session-token":{"t":"{{_token}}"} }"""), HttpStatusCode.BadRequest),
            ("secret too long", Yaml($"region: us-east-1\naccess-key-id: {_accessKey}\nsecret-access-key: {_secret}{new string('x', 300)}\n"), HttpStatusCode.BadRequest),
            ("secret with a space", Yaml($"region: us-east-1\naccess-key-id: {_accessKey}\nsecret-access-key: '{_secret} {_secret}'\n"), HttpStatusCode.BadRequest),
            ("malformed yaml", Yaml($"region: us-east-1\naccess-key-id: {_accessKey}\nsecret-access-key: \"{_secret}\nsession-token: {_token}\n"), HttpStatusCode.BadRequest),
            ("malformed json", Json($$"""{"region":"us-east-1","secret-access-key":"{{_secret}}","session-token":"{{_token}}" """), HttpStatusCode.BadRequest),
            ("secret written with '='", Yaml($"region: us-east-1\nsecret-access-key={_secret}\n"), HttpStatusCode.BadRequest),
            ("secret as a json field without a name", Json($$"""{"region":"us-east-1","access-key-id":"{{_accessKey}}","{{_secret}}"}"""), HttpStatusCode.BadRequest),
            ("unsupported type", Body(keysYaml, "application/x-www-form-urlencoded"), HttpStatusCode.UnsupportedMediaType),
            ("too large", Yaml(keysYaml + "#" + new string('x', 70_000) + "\n"), HttpStatusCode.RequestEntityTooLarge),
        };
        foreach (var (name, content, status) in refused)
        {
            Assert.Equal(status, (await Send(name, Request(HttpMethod.Put, $"/AwsAccount/{NewId("refused")}", content))).StatusCode);
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await Send("bad id", Request(HttpMethod.Put, "/AwsAccount/bad!id", Yaml(keysYaml)))).StatusCode);

        // Presigning, good and bad.
        var presigned = new List<string>();
        foreach (var (name, request) in new[]
        {
            ("post", Request(HttpMethod.Post, $"/aws/storage/{withToken}/my-bucket?expiration=600", Yaml("filename: a/b.txt\n"))),
            ("get", Request(HttpMethod.Get, $"/aws/storage/{withToken}/my-bucket/a/b.txt")),
            ("delete", Request(HttpMethod.Delete, $"/aws/storage/{withToken}/my-bucket/a/b.txt")),
            ("get path-style", Request(HttpMethod.Get, $"/aws/storage/{withKeys}/my-bucket/a%20b.txt")),
        })
        {
            HttpResponseMessage response = await Send(name, request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            presigned.Add(exchanges[^1].Body);
        }

        foreach (var (name, request, status) in new[]
        {
            ("unknown account", Request(HttpMethod.Get, $"/aws/storage/{NewId("nobody")}/my-bucket/a.txt"), HttpStatusCode.NotFound),
            ("bad bucket", Request(HttpMethod.Get, $"/aws/storage/{withToken}/A/a.txt"), HttpStatusCode.BadRequest),
            ("bad expiration", Request(HttpMethod.Get, $"/aws/storage/{withToken}/my-bucket/a.txt?expiration=0"), HttpStatusCode.BadRequest),
            ("control character", Request(HttpMethod.Get, $"/aws/storage/{withToken}/my-bucket/a%01.txt"), HttpStatusCode.BadRequest),
            ("no filename", Request(HttpMethod.Post, $"/aws/storage/{withToken}/my-bucket", Yaml($"file: {_secret}\n")), HttpStatusCode.BadRequest),
            ("no credentials", Request(HttpMethod.Get, $"/aws/storage/{noKeys}/my-bucket/a.txt"), HttpStatusCode.ServiceUnavailable),
        })
        {
            Assert.Equal(status, (await Send(name, request)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.NoContent, (await Send("delete", Request(HttpMethod.Delete, $"/AwsAccount/{withKeys}"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Send("get deleted", Request(HttpMethod.Get, $"/AwsAccount/{withKeys}"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Send("delete again", Request(HttpMethod.Delete, $"/AwsAccount/{withKeys}"))).StatusCode);

        // Responses: the token appears only as the X-Amz-Security-Token of URLs signed with it.
        foreach (var (name, response, body) in exchanges)
        {
            string visible = body;
            if (presigned.Contains(body) && name != "get path-style")
            {
                var url = PresignedUrl.Parse(JsonDocument.Parse(body).RootElement.GetProperty("url").GetString()!);
                Assert.Equal(_token, url["X-Amz-Security-Token"]);
                visible = body.Replace($"X-Amz-Security-Token={_token}&", "X-Amz-Security-Token=(checked)&", StringComparison.Ordinal);
            }

            string headers = string.Join('\n', response.Headers.Concat(response.Content.Headers).Select(h => $"{h.Key}: {string.Join(", ", h.Value)}"));
            AssertNoSecret($"{name}: body", visible);
            AssertNoSecret($"{name}: headers", headers);
            response.Dispose();
        }

        // Every log line of every category, at Trace: the logs were really captured, and hold neither.
        string logs = _host.LogText;
        Assert.Contains($"Request starting HTTP/1.1 PUT http://{_host.BaseAddress.Authority}/AwsAccount/{withToken} - text/yaml", logs, StringComparison.Ordinal);
        Assert.Contains("Debug Microsoft.AspNetCore.Server.Kestrel", logs, StringComparison.Ordinal);
        Assert.Contains("Debug Microsoft.AspNetCore.Routing", logs, StringComparison.Ordinal);
        Assert.Contains($"AwsAccount {withToken} created (region us-east-1, credentials access-keys)", logs, StringComparison.Ordinal);
        Assert.Contains($"Signed a PUT URL for account {withToken}, bucket my-bucket, valid 600s", logs, StringComparison.Ordinal);
        Assert.Contains($"No credentials for account {noKeys}", logs, StringComparison.Ordinal);
        AssertNoSecret("logs", logs);
        Assert.DoesNotContain(File.ReadAllText(Path.Combine(_host.DataDirectory, "encryption.key")).Trim(), logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoredSecrets_AreNotInTheDatabaseFilesInPlainText()
    {
        string first = NewId("db-a");
        string second = NewId("db-b");
        await PutAccountAsync(_host.Client, first, $"region: us-east-1\naccess-key-id: {_accessKey}\nsecret-access-key: {_secret}\nsession-token: {_token}\n");
        await PutAccountAsync(_host.Client, second, $"region: eu-west-1\naccess-key-id: {_accessKey}\nsecret-access-key: {_secret}\n");
        await PutAccountAsync(_host.Client, second, $"region: eu-west-1\naccess-key-id: {_accessKey}\nsecret-access-key: {_secret}\nsession-token: {_token}\n", HttpStatusCode.OK);

        // While the server runs, the rows are in the write-ahead log.
        Assert.True(File.Exists(_host.DatabasePath), "sluice.db is missing");
        Assert.True(File.Exists(_host.DatabasePath + "-wal"), "sluice.db-wal is missing");
        AssertDataFilesHoldNoSecret(expectAccessKey: true);

        // And after a stop (whatever was checkpointed into the main file).
        await _host.StopAsync();
        AssertDataFilesHoldNoSecret(expectAccessKey: true);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task GeneratedEncryptionKey_IsOwnerReadWriteOnly_And32Bytes()
    {
        string path = Path.Combine(_host.DataDirectory, "encryption.key");
        Assert.True(File.Exists(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(32, Convert.FromBase64String(File.ReadAllText(path).Trim()).Length);

        // The key is used, not rewritten, by the next start.
        string before = File.ReadAllText(path);
        await _host.RestartAsync();
        Assert.Equal(before, File.ReadAllText(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    private void AssertDataFilesHoldNoSecret(bool expectAccessKey)
    {
        var all = new MemoryStream();
        foreach (string file in Directory.EnumerateFiles(_host.DataDirectory, "*", SearchOption.AllDirectories))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var bytes = new MemoryStream();
            stream.CopyTo(bytes);
            byte[] content = bytes.ToArray();
            foreach (string secret in SecretForms())
            {
                Assert.False(content.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)) >= 0, $"{Path.GetFileName(file)} holds '{secret}' in plain text");
                Assert.False(content.AsSpan().IndexOf(Encoding.Unicode.GetBytes(secret)) >= 0, $"{Path.GetFileName(file)} holds '{secret}' as UTF-16");
            }

            all.Write(content);
        }

        // The scan does see stored text: the access key id is stored as it is.
        if (expectAccessKey)
        {
            Assert.True(all.ToArray().AsSpan().IndexOf(Encoding.UTF8.GetBytes(_accessKey)) >= 0, "the access key id was not found in the data files: the scan reads nothing");
        }
    }

    private void AssertNoSecret(string where, string text)
    {
        foreach (string secret in SecretForms())
        {
            Assert.False(text.Contains(secret, StringComparison.Ordinal), $"{where} holds '{secret}':\n{text}");
        }
    }

    /// <summary>The values, and their random parts alone (a leak of part of one is a leak).</summary>
    private IEnumerable<string> SecretForms() =>
    [
        _secret, _token, _secret["SLUICEsecretMARKER".Length..], _token["SLUICEtokenMARKER".Length..], "SLUICEsecretMARKER", "SLUICEtokenMARKER",
        _token["SLUICEtokenMARKER".Length..][..24], _token["SLUICEtokenMARKER".Length..][^24..],
    ];

    private static string RandomHex(int bytes) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));
}
