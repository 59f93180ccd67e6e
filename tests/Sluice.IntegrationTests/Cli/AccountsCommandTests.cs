using Sluice.IntegrationTests.Http;
using static Sluice.IntegrationTests.Http.HttpTestSupport;

namespace Sluice.IntegrationTests.Cli;

/// <summary><c>sluice accounts check</c> against a running server.</summary>
public sealed class AccountsCommandTests
{
    [Fact]
    public async Task Check_prints_the_source_and_exits_0_for_an_account_with_keys()
    {
        await using var host = await SluiceTestHost.StartAsync();
        string id = NewId("cli");
        await PutAccountAsync(host.Client, id, "region: us-east-1\naccess-key-id: AKIACLICHECK\nsecret-access-key: cli-secret\n");

        var result = await SluiceProcess.RunAsync(["accounts", "check", id, "--server", host.BaseAddress.ToString()], environment: Token(host));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("credentials: from account keys, access key AKIACLICHECK, no expiry\n", result.StandardOutput);
        Assert.DoesNotContain("cli-secret", result.StandardOutput + result.StandardError);
    }

    [Fact]
    public async Task Check_exits_1_with_the_reason_when_no_source_gives_credentials()
    {
        await using var host = await SluiceTestHost.StartAsync();
        string id = NewId("cli");
        await PutAccountAsync(host.Client, id, "region: us-east-1\n");

        var result = await SluiceProcess.RunAsync(["accounts", "check", id, "--server", host.BaseAddress.ToString()], environment: new Dictionary<string, string> { ["SLUICE_SERVER"] = "http://127.0.0.1:1", ["SLUICE_TOKEN"] = host.AdminToken });

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("credentials: none (Account '", result.StandardOutput);
        Assert.Contains("environment: AWS_ACCESS_KEY_ID is not set", result.StandardOutput);
    }

    [Fact]
    public async Task Check_exits_2_for_an_unknown_account_or_a_bad_server_url()
    {
        await using var host = await SluiceTestHost.StartAsync();
        var unknown = await SluiceProcess.RunAsync(["accounts", "check", "nobody", "--server", host.BaseAddress.ToString()], environment: Token(host));
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("404 No AwsAccount with id 'nobody'.", unknown.StandardError);

        var badUrl = await SluiceProcess.RunAsync(["accounts", "check", "x", "--server", "ftp://x"]);
        Assert.NotEqual(0, badUrl.ExitCode);
        Assert.Contains("--server must be an http:// or https:// URL", badUrl.StandardError);
    }

    [Fact]
    public async Task Check_without_a_token_is_refused_with_the_reason()
    {
        await using var host = await SluiceTestHost.StartAsync();
        var result = await SluiceProcess.RunAsync(["accounts", "check", "anything", "--server", host.BaseAddress.ToString()]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("401 no Authorization header", result.StandardError);
    }

    private static Dictionary<string, string> Token(SluiceTestHost host) => new() { ["SLUICE_TOKEN"] = host.AdminToken };
}
