using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Sluice.IntegrationTests.Http;
using static Sluice.IntegrationTests.Http.HttpTestSupport;

namespace Sluice.IntegrationTests.Audit;

/// <summary>
/// What the trail records, through a real server on SQLite: each URL signed with who asked, from
/// where and until when; refusals with their reason; admin changes; and what it never holds (the
/// URL, its signature, a token's secret). Then the admin API's filters, pages and export.
/// </summary>
public sealed class AuditTrailTests : IAsyncLifetime
{
    private const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private SluiceTestHost _host = null!;
    private HttpClient _anonymous = null!;

    public async Task InitializeAsync()
    {
        _host = await SluiceTestHost.StartAsync();
        _anonymous = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }) { BaseAddress = _host.BaseAddress };
        await PutAccountAsync(_host.Client, "audited", $"region: us-east-1\naccess-key-id: AKIAAUDITED\nsecret-access-key: {Secret}\n");
    }

    public async Task DisposeAsync()
    {
        _anonymous.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task A_signed_url_is_recorded_with_who_asked_what_for_how_long_and_never_the_url()
    {
        var (tokenId, secret) = await CreateTokenAsync("""{"name":"ci-runner","accounts":["audited"],"methods":["GET"]}""");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/aws/storage/audited/reports/2026/q4 ü.pdf?expiration=600");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        using var response = await _anonymous.SendAsync(request);
        JsonElement signed = await ReadJsonAsync(response, HttpStatusCode.OK);

        JsonElement record = await AuditTrail.OfAsync(_host.Client, response);
        Assert.Equal("presign", record.Text("action"));
        Assert.Equal("allowed", record.Text("outcome"));
        Assert.Equal(200, record.GetProperty("status").GetInt32());
        Assert.Equal("token", record.Text("identityKind"));
        Assert.Equal(tokenId, record.Text("identity"));
        Assert.Equal("ci-runner", record.Text("identityName"));
        Assert.Equal("127.0.0.1", record.Text("clientAddress"));
        Assert.Equal(("audited", "reports", "2026/q4 ü.pdf"), (record.Text("account"), record.Text("bucket"), record.Text("key")));
        Assert.Equal(1, record.GetProperty("keyCount").GetInt32());
        Assert.Equal("GET", record.Text("method"));
        Assert.Equal(signed.GetProperty("expiresAt").GetDateTimeOffset(), record.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.InRange(record.GetProperty("time").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow);

        string raw = record.GetRawText();
        string url = signed.GetProperty("url").GetString()!;
        Assert.DoesNotContain("X-Amz-Signature", raw, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(url[url.IndexOf("X-Amz-Signature=", StringComparison.Ordinal)..].Split('&')[0]["X-Amz-Signature=".Length..], raw, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, raw, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refusals_are_recorded_with_their_reason_and_whoever_was_refused()
    {
        var (tokenId, secret) = await CreateTokenAsync("""{"name":"reader","accounts":["audited"],"methods":["GET"]}""");

        using var outOfScope = new HttpRequestMessage(HttpMethod.Delete, "/aws/storage/audited/bucket/key.txt");
        outOfScope.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        using var forbidden = await _anonymous.SendAsync(outOfScope);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        JsonElement refused = await AuditTrail.OfAsync(_host.Client, forbidden);
        Assert.Equal(("presign", "refused", 403), (refused.Text("action"), refused.Text("outcome"), refused.GetProperty("status").GetInt32()));
        Assert.Equal((tokenId, "DELETE", "key.txt"), (refused.Text("identity"), refused.Text("method"), refused.Text("key")));
        Assert.Contains("DELETE", refused.Text("reason"), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, refused.GetProperty("expiresAt").ValueKind);

        using var unknown = new HttpRequestMessage(HttpMethod.Get, "/AwsAccount");
        unknown.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "sluice_not_a_real_token_0000000000000000");
        using var unauthorized = await _anonymous.SendAsync(unknown);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        JsonElement anonymous = await AuditTrail.OfAsync(_host.Client, unauthorized);
        Assert.Equal(("request", "refused", "none"), (anonymous.Text("action"), anonymous.Text("outcome"), anonymous.Text("identityKind")));
        Assert.Null(anonymous.Text("identity"));
        Assert.Equal("unknown token", anonymous.Text("reason"));
        Assert.DoesNotContain("sluice_not_a_real_token", anonymous.GetRawText(), StringComparison.Ordinal);

        using var invalid = await _host.Client.GetAsync("/aws/storage/audited/bucket/key.txt?expiration=0");
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        JsonElement bad = await AuditTrail.OfAsync(_host.Client, invalid);
        Assert.Equal(("presign", "refused", 400), (bad.Text("action"), bad.Text("outcome"), bad.GetProperty("status").GetInt32()));
        Assert.Contains("expiration", bad.Text("reason"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_batch_is_one_record_with_its_size_and_first_key()
    {
        string keys = string.Join(",", Enumerable.Range(0, 250).Select(i => $"\"batch/{i:D4}.bin\""));
        using var response = await _host.Client.PostAsync("/aws/storage/audited/bucket?batch", Json($$"""{"method":"PUT","keys":[{{keys}}]}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonElement record = await AuditTrail.OfAsync(_host.Client, response);
        Assert.Equal(("presign-batch", "PUT", "batch/0000.bin", 250), (record.Text("action"), record.Text("method"), record.Text("key"), record.GetProperty("keyCount").GetInt32()));
        Assert.Equal("admin (SLUICE_ADMIN_TOKEN)", record.Text("identityName"));
    }

    [Fact]
    public async Task Account_and_token_changes_are_recorded_with_what_they_changed()
    {
        using (var put = await _host.Client.PutAsync("/AwsAccount/changed", Yaml($"region: eu-west-1\naccess-key-id: AKIACHANGED\nsecret-access-key: {Secret}\n")))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
            JsonElement record = await AuditTrail.OfAsync(_host.Client, put);
            Assert.Equal(("account-put", "changed", "changed", 201), (record.Text("action"), record.Text("account"), record.Text("target"), record.GetProperty("status").GetInt32()));
            Assert.DoesNotContain(Secret, record.GetRawText(), StringComparison.Ordinal);
        }

        using (var delete = await _host.Client.DeleteAsync("/AwsAccount/changed"))
        {
            JsonElement record = await AuditTrail.OfAsync(_host.Client, delete);
            Assert.Equal(("account-delete", "changed", 204), (record.Text("action"), record.Text("target"), record.GetProperty("status").GetInt32()));
        }

        using var created = await _host.Client.PostAsync("/tokens", Json("""{"name":"short-lived"}"""));
        JsonElement token = await ReadJsonAsync(created, HttpStatusCode.Created);
        JsonElement creation = await AuditTrail.OfAsync(_host.Client, created);
        Assert.Equal(("token-create", token.GetProperty("id").GetString()), (creation.Text("action"), creation.Text("target")));
        Assert.DoesNotContain(token.GetProperty("token").GetString()!, creation.GetRawText(), StringComparison.Ordinal);

        using var revoked = await _host.Client.DeleteAsync($"/tokens/{token.GetProperty("id").GetString()}");
        JsonElement revocation = await AuditTrail.OfAsync(_host.Client, revoked);
        Assert.Equal(("token-revoke", token.GetProperty("id").GetString(), 204), (revocation.Text("action"), revocation.Text("target"), revocation.GetProperty("status").GetInt32()));
    }

    [Fact]
    public async Task The_admin_api_filters_pages_and_exports_the_trail()
    {
        var (_, reader) = await CreateTokenAsync("""{"name":"filter-reader","accounts":["audited"]}""");
        foreach (string key in new[] { "runs/a/1.txt", "runs/a/2.txt", "runs/b/1.txt", "other/1.txt" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/aws/storage/audited/filtered/{key}");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", reader);
            using var response = await _anonymous.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using (var delete = new HttpRequestMessage(HttpMethod.Delete, "/aws/storage/audited/filtered/runs/a/1.txt"))
        {
            delete.Headers.Authorization = new AuthenticationHeaderValue("Bearer", reader);
            using var response = await _anonymous.SendAsync(delete);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await AuditTrail.WaitForAsync(_host.Client, "identity=filter-reader", 5);
        Assert.Equal(["runs/a/1.txt", "runs/a/2.txt", "runs/a/1.txt"], (await AuditTrail.ExportAsync(_host.Client, "bucket=filtered&prefix=runs/a/")).Select(r => r.Text("key")));
        Assert.Single(await AuditTrail.ExportAsync(_host.Client, "bucket=filtered&method=delete"));
        Assert.Equal(4, (await AuditTrail.ExportAsync(_host.Client, "identity=filter-reader&method=GET&outcome=allowed")).Count);
        Assert.Empty(await AuditTrail.ExportAsync(_host.Client, "bucket=filtered&since=2100-01-01T00:00:00Z"));
        Assert.Equal(5, (await AuditTrail.ExportAsync(_host.Client, "bucket=filtered&until=2100-01-01T00:00:00Z")).Count);

        // Pages of two, each naming the next; the last says there is none.
        var seen = new List<string?>();
        string? after = null;
        do
        {
            using var page = await _host.Client.GetAsync($"/audit?bucket=filtered&limit=2{(after is null ? "" : "&after=" + after)}");
            JsonElement body = await ReadJsonAsync(page, HttpStatusCode.OK);
            seen.AddRange(body.GetProperty("records").EnumerateArray().Select(r => r.Text("key")));
            after = body.GetProperty("next").ValueKind == JsonValueKind.Null ? null : body.GetProperty("next").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        while (after is not null);
        Assert.Equal(["runs/a/1.txt", "runs/a/2.txt", "runs/b/1.txt", "other/1.txt", "runs/a/1.txt"], seen);
    }

    [Fact]
    public async Task A_bad_query_is_a_400_naming_each_field_and_the_trail_is_for_admins_only()
    {
        using var bad = await _host.Client.GetAsync("/audit?since=yesterday&method=PATCH&outcome=maybe&limit=5000&after=-1");
        await AssertValidationProblemAsync(bad, "since", "method", "outcome", "limit", "after");

        var (_, scoped) = await CreateTokenAsync("""{"name":"not-admin"}""");
        foreach (string path in new[] { "/audit", "/audit/export" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", scoped);
            using var response = await _anonymous.SendAsync(request);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        using var anonymous = await _anonymous.GetAsync("/audit");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    private async Task<(string Id, string Secret)> CreateTokenAsync(string json)
    {
        using var response = await _host.Client.PostAsync("/tokens", Json(json));
        JsonElement token = await ReadJsonAsync(response, HttpStatusCode.Created);
        return (token.GetProperty("id").GetString()!, token.GetProperty("token").GetString()!);
    }
}
