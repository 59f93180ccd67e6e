using System.Net;
using static Sluice.IntegrationTests.Http.HttpTestSupport;

namespace Sluice.IntegrationTests.Http;

/// <summary>
/// Keyless accounts on a server whose credential environment holds nothing: the 503 and the
/// <c>$check</c> answer name every source of the default chain and why it gave nothing.
/// (Sources that do give credentials are proven against the RADOS Gateway's STS.)
/// </summary>
public sealed class CredentialChainApiTests : IAsyncLifetime
{
    private SluiceTestHost _host = null!;

    public async Task InitializeAsync() => _host = await SluiceTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Presigning_for_a_keyless_account_with_no_source_is_503_naming_each_source()
    {
        string id = NewId("keyless");
        await PutAccountAsync(_host.Client, id, "region: us-east-1\n");

        using var response = await _host.Client.GetAsync($"/aws/storage/{id}/my-bucket/k");
        var problem = await ReadProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        string detail = problem.GetProperty("detail").GetString()!;

        string[] expectedInOrder =
        [
            $"Account '{id}' has no access-key-id",
            "environment: AWS_ACCESS_KEY_ID is not set",
            "profile: ",
            "web-identity: AWS_WEB_IDENTITY_TOKEN_FILE is not set",
            "container: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set",
            "instance-metadata: AWS_EC2_METADATA_DISABLED is true",
        ];
        int at = 0;
        foreach (string part in expectedInOrder)
        {
            int found = detail.IndexOf(part, at, StringComparison.Ordinal);
            Assert.True(found >= 0, $"'{part}' missing (in order) from: {detail}");
            at = found + part.Length;
        }

        await AssertStillServingAsync(_host.Client);
    }

    [Fact]
    public async Task Check_reports_the_failure_for_a_keyless_account()
    {
        string id = NewId("keyless");
        await PutAccountAsync(_host.Client, id, "region: us-east-1\n");

        using var response = await _host.Client.PostAsync($"/AwsAccount/{id}/$check?bucket=my-bucket", null);
        var body = await ReadJsonAsync(response, HttpStatusCode.OK);

        Assert.False(body.GetProperty("ok").GetBoolean());
        Assert.False(body.GetProperty("credentials").GetProperty("ok").GetBoolean());
        Assert.Contains("environment: AWS_ACCESS_KEY_ID is not set", body.GetProperty("credentials").GetProperty("error").GetString());
        Assert.False(body.GetProperty("bucket").GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task Check_names_the_account_keys_as_the_source_and_shows_no_secret()
    {
        string id = NewId("keyed");
        await PutAccountAsync(_host.Client, id, "region: us-east-1\naccess-key-id: AKIACHECK\nsecret-access-key: check-secret-value\nsession-token: check-token-value\n");

        using var response = await _host.Client.PostAsync($"/AwsAccount/{id}/$check", null);
        string text = await response.Content.ReadAsStringAsync();
        var body = await ReadJsonAsync(response, HttpStatusCode.OK);

        Assert.True(body.GetProperty("ok").GetBoolean());
        var credentials = body.GetProperty("credentials");
        Assert.Equal("account keys", credentials.GetProperty("source").GetString());
        Assert.Equal("AKIACHECK", credentials.GetProperty("access-key-id").GetString());
        Assert.True(credentials.GetProperty("temporary").GetBoolean());
        Assert.False(body.TryGetProperty("bucket", out _));
        Assert.DoesNotContain("check-secret-value", text);
        Assert.DoesNotContain("check-token-value", text);
    }

    [Fact]
    public async Task Check_refuses_unknown_accounts_and_bad_buckets()
    {
        using var unknown = await _host.Client.PostAsync("/AwsAccount/no-such-account/$check", null);
        await ReadProblemAsync(unknown, HttpStatusCode.NotFound);

        string id = NewId("keyed");
        await PutAccountAsync(_host.Client, id, "region: us-east-1\naccess-key-id: AKIACHECK\nsecret-access-key: s\n");
        using var badBucket = await _host.Client.PostAsync($"/AwsAccount/{id}/$check?bucket=No_Such", null);
        await AssertValidationProblemAsync(badBucket, "bucket");
    }
}
