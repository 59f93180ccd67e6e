using Sluice.Core.Credentials;
using Sluice.Core.Credentials.Sources;

namespace Sluice.Tests.Credentials;

public sealed class DefaultCredentialChainTests
{
    private static CredentialEnvironment Environment(params (string Name, string Value)[] variables)
    {
        var map = variables.ToDictionary(v => v.Name, v => v.Value);
        return new CredentialEnvironment(name => map.GetValueOrDefault(name));
    }

    [Fact]
    public async Task Environment_keys_come_first_and_accept_the_older_token_name()
    {
        var env = Environment(("AWS_ACCESS_KEY_ID", "AKIDENV"), ("AWS_SECRET_ACCESS_KEY", "s"), ("AWS_SECURITY_TOKEN", "old-token"));
        var result = await DefaultCredentialChain.Standard(env).FetchAsync(CancellationToken.None);

        Assert.Equal("environment", result.Source);
        Assert.Equal("AKIDENV", result.Credentials.AccessKeyId);
        Assert.Equal("old-token", result.Credentials.SessionToken);
    }

    [Fact]
    public async Task The_current_token_name_wins_over_the_older_one()
    {
        var env = Environment(("AWS_ACCESS_KEY_ID", "A"), ("AWS_SECRET_ACCESS_KEY", "s"), ("AWS_SESSION_TOKEN", "new"), ("AWS_SECURITY_TOKEN", "old"));
        var result = await new EnvironmentSource(env).FetchAsync(CancellationToken.None);
        Assert.Equal("new", result.Credentials.SessionToken);
    }

    [Fact]
    public async Task When_nothing_answers_the_failure_names_every_source_in_order_and_no_secret()
    {
        var env = Environment(
            ("AWS_SECRET_ACCESS_KEY", "do-not-show-me"),
            ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials"),
            ("AWS_CONFIG_FILE", "/nonexistent/config"),
            ("AWS_EC2_METADATA_DISABLED", "true"));
        var chain = new DefaultCredentialChain(
        [
            new EnvironmentSource(env), new WebIdentitySource(env), new ContainerSource(env), new InstanceMetadataSource(env),
        ]);

        var failure = await Assert.ThrowsAsync<CredentialSourceException>(() => chain.FetchAsync(CancellationToken.None));

        Assert.Equal(
            "no source in the default credential chain gave credentials (environment: AWS_ACCESS_KEY_ID is not set; "
            + "web-identity: AWS_WEB_IDENTITY_TOKEN_FILE is not set; "
            + "container: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set; "
            + "instance-metadata: AWS_EC2_METADATA_DISABLED is true)",
            failure.Message);
        Assert.DoesNotContain("do-not-show-me", failure.Message);
    }
}
