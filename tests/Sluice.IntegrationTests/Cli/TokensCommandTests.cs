using System.Net;
using Sluice.IntegrationTests.Http;

namespace Sluice.IntegrationTests.Cli;

/// <summary><c>sluice tokens create|list|revoke</c> against a running server.</summary>
public sealed class TokensCommandTests
{
    [Fact]
    public async Task Create_list_use_and_revoke_a_scoped_token()
    {
        await using var host = await SluiceTestHost.StartAsync();
        var admin = new Dictionary<string, string> { ["SLUICE_TOKEN"] = host.AdminToken, ["SLUICE_SERVER"] = host.BaseAddress.ToString() };

        var created = await SluiceProcess.RunAsync(
            ["tokens", "create", "--name", "uploader", "--account", "acct", "--bucket", "b-one", "--prefix", "uploads/", "--method", "PUT", "--max-expiration", "600"],
            environment: admin);
        Assert.Equal(0, created.ExitCode);
        string secret = created.StandardOutput.Trim();
        Assert.StartsWith("sluice_", secret);
        Assert.Contains("shown only once", created.StandardError);

        var listed = await SluiceProcess.RunAsync(["tokens", "list"], environment: admin);
        Assert.Equal(0, listed.ExitCode);
        string line = listed.StandardOutput.Split('\n').Single(l => l.Contains("\tuploader\t", StringComparison.Ordinal));
        Assert.Contains("\tactive\t", line);
        Assert.Contains("\"prefixes\":[\"uploads/\"]", line);
        Assert.DoesNotContain(secret, listed.StandardOutput);
        string id = line.Split('\t')[0];

        using var scoped = new HttpClient { BaseAddress = host.BaseAddress };
        scoped.DefaultRequestHeaders.Authorization = new("Bearer", secret);
        await HttpTestSupport.PutAccountAsync(host.Client, "acct", "region: us-east-1\naccess-key-id: AKIA1\nsecret-access-key: s\n");
        using (var allowed = await scoped.PostAsync("/aws/storage/acct/b-one?expiration=600", HttpTestSupport.Yaml("filename: uploads/x.bin\n")))
        {
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        var revoked = await SluiceProcess.RunAsync(["tokens", "revoke", id], environment: admin);
        Assert.Equal(0, revoked.ExitCode);
        using (var after = await scoped.PostAsync("/aws/storage/acct/b-one", HttpTestSupport.Yaml("filename: uploads/x.bin\n")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        }

        var relisted = await SluiceProcess.RunAsync(["tokens", "list"], environment: admin);
        Assert.Contains($"{id}\trevoked\tuploader", relisted.StandardOutput);
    }

    [Fact]
    public async Task Bad_requests_exit_2_with_the_servers_reason()
    {
        await using var host = await SluiceTestHost.StartAsync();
        var admin = new Dictionary<string, string> { ["SLUICE_TOKEN"] = host.AdminToken, ["SLUICE_SERVER"] = host.BaseAddress.ToString() };

        var badMethod = await SluiceProcess.RunAsync(["tokens", "create", "--name", "x", "--method", "POST"], environment: admin);
        Assert.Equal(2, badMethod.ExitCode);
        Assert.Contains("methods 'POST' must be GET, PUT or DELETE", badMethod.StandardError);

        var unknown = await SluiceProcess.RunAsync(["tokens", "revoke", "tok_nope"], environment: admin);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("404 No token with id 'tok_nope'.", unknown.StandardError);
    }
}
