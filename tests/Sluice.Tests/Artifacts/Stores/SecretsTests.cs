using Sluice.Core.Credentials;
using Sluice.Core.Artifacts.Stores;
using Sluice.Core.Artifacts.Stores.Connections;

namespace Sluice.Tests.Artifacts.Stores;

/// <summary>Where a store's secret comes from, and what its values mean.</summary>
public sealed class SecretsTests : IDisposable
{
    private static readonly ArtifactStore Store = new("s3-artifacts", "bucket", "", "s3-secret", null, 1);

    private readonly string _secrets = Directory.CreateTempSubdirectory("sluice-secrets-").FullName;

    public void Dispose() => Directory.Delete(_secrets, recursive: true);

    [Fact]
    public void A_mounted_secret_wins_over_the_environment_as_a_whole()
    {
        Mount("s3-secret", new()
        {
            ["AWS_ACCESS_KEY_ID"] = "MOUNTEDKEY\n",
            ["AWS_SECRET_ACCESS_KEY"] = "mounted-secret\r\n",
            ["AWS_ENDPOINT_URL"] = "http://10.0.0.5:7480",
        });
        var environment = Environment(new()
        {
            ["AWS_ACCESS_KEY_ID"] = "ENVKEY",
            ["AWS_SECRET_ACCESS_KEY"] = "env-secret",
            ["AWS_REGION"] = "eu-west-1",
            ["AWS_SESSION_TOKEN"] = "env-token",
        });

        StoreSecret secret = new StoreSecretReader(_secrets, environment).Read("s3-secret");
        var connection = Assert.IsType<S3StoreConnection>(StoreConnectionResolver.Resolve(Store, secret));

        Assert.Equal("MOUNTEDKEY", connection.Keys!.AccessKeyId);
        Assert.Equal("mounted-secret", connection.Keys.SecretAccessKey);
        Assert.Null(connection.Keys.SessionToken); // never mixed in from the environment
        Assert.Equal("us-east-1", connection.Endpoint.Region); // nor the region
        Assert.Equal("10.0.0.5:7480", connection.Endpoint.Host.ToString());
        Assert.Contains(Path.Combine(_secrets, "s3-secret"), secret.Source);
        Assert.Equal(Path.Combine(_secrets, "s3-secret", "AWS_REGION"), secret.Where("AWS_REGION"));
    }

    [Fact]
    public void Without_a_mounted_secret_the_environment_is_the_secret()
    {
        Mount("another-secret", new() { ["AWS_ACCESS_KEY_ID"] = "OTHER", ["AWS_SECRET_ACCESS_KEY"] = "other" });
        var environment = Environment(new()
        {
            ["AWS_ACCESS_KEY_ID"] = "ENVKEY",
            ["AWS_SECRET_ACCESS_KEY"] = "env-secret",
            ["AWS_SECURITY_TOKEN"] = "old-name-token",
            ["AWS_REGION"] = "eu-west-1",
        });

        foreach (StoreSecret secret in new[]
                 {
                     new StoreSecretReader(_secrets, environment).Read("s3-secret"),
                     new StoreSecretReader(null, environment).Read("s3-secret"),
                     new StoreSecretReader(_secrets, environment).Read(null),
                 })
        {
            var connection = Assert.IsType<S3StoreConnection>(StoreConnectionResolver.Resolve(Store, secret));
            Assert.Equal("ENVKEY", connection.Keys!.AccessKeyId);
            Assert.Equal("old-name-token", connection.Keys.SessionToken);
            Assert.Equal("eu-west-1", connection.Endpoint.Region);
            Assert.StartsWith("the environment", secret.Source);
            Assert.Equal("environment variable AWS_REGION", secret.Where("AWS_REGION"));
        }
    }

    [Fact]
    public void AWS_SESSION_TOKEN_wins_over_its_older_name()
    {
        var secret = new StoreSecretReader(null, Environment(new()
        {
            ["AWS_ACCESS_KEY_ID"] = "K",
            ["AWS_SECRET_ACCESS_KEY"] = "S",
            ["AWS_SESSION_TOKEN"] = "new",
            ["AWS_SECURITY_TOKEN"] = "old",
        })).Read(null);

        Assert.Equal("new", Assert.IsType<S3StoreConnection>(StoreConnectionResolver.Resolve(Store, secret)).Keys!.SessionToken);
    }

    [Fact]
    public void A_secret_without_keys_leaves_them_to_the_default_chain()
    {
        Mount("s3-secret", new() { ["AWS_ENDPOINT_URL"] = "https://minio.example:9000/", ["UNRELATED"] = "x" });

        var connection = Assert.IsType<S3StoreConnection>(StoreConnectionResolver.Resolve(Store, new StoreSecretReader(_secrets, Environment(new())).Read("s3-secret")));

        Assert.Null(connection.Keys);
        Assert.True(connection.Endpoint.UseSsl);
        Assert.True(connection.Endpoint.PathStyle);
        Assert.Equal("minio.example:9000", connection.Endpoint.Host.ToString());
    }

    [Fact]
    public void Half_a_key_pair_is_refused_naming_the_missing_key_and_where_it_was_looked_for()
    {
        Mount("s3-secret", new() { ["AWS_ACCESS_KEY_ID"] = "K" });

        var exception = Assert.Throws<StoreConnectionException>(() =>
            StoreConnectionResolver.Resolve(Store, new StoreSecretReader(_secrets, Environment(new() { ["AWS_SECRET_ACCESS_KEY"] = "S" })).Read("s3-secret")));

        Assert.Contains("AWS_SECRET_ACCESS_KEY is not", exception.Message);
        Assert.Contains(Path.Combine(_secrets, "s3-secret", "AWS_SECRET_ACCESS_KEY"), exception.Message);
    }

    [Theory]
    [InlineData("http://127.0.0.1:7480", null, "127.0.0.1:7480", false)]
    [InlineData("https://s3.example.com", null, "s3.example.com", true)]
    [InlineData("HTTP://rgw.local:80/", "true", "rgw.local:80", false)] // the scheme decides over AWS_USE_SSL
    [InlineData("rgw.local:8080", "false", "rgw.local:8080", false)]
    [InlineData("rgw.local:8080", null, "rgw.local:8080", true)]
    [InlineData("[::1]:9000", "0", "[::1]:9000", false)]
    public void The_endpoint_url_gives_host_scheme_and_path_style(string url, string? useSsl, string host, bool ssl)
    {
        var values = new Dictionary<string, string> { ["AWS_ENDPOINT_URL"] = url };
        if (useSsl is not null)
        {
            values["AWS_USE_SSL"] = useSsl;
        }

        var connection = Assert.IsType<S3StoreConnection>(StoreConnectionResolver.Resolve(Store, new StoreSecretReader(null, Environment(values)).Read(null)));

        Assert.Equal(host, connection.Endpoint.Host.ToString());
        Assert.Equal(ssl, connection.Endpoint.UseSsl);
        Assert.True(connection.Endpoint.PathStyle);
    }

    [Fact]
    public void Without_an_endpoint_the_store_is_on_AWS()
    {
        var connection = Assert.IsType<S3StoreConnection>(StoreConnectionResolver.Resolve(Store, new StoreSecretReader(null, Environment(new() { ["AWS_REGION"] = "eu-central-1", ["AWS_VERIFY_SSL"] = "False" })).Read(null)));

        Assert.Null(connection.Endpoint.Host);
        Assert.False(connection.Endpoint.PathStyle);
        Assert.True(connection.Endpoint.UseSsl);
        Assert.False(connection.VerifySsl);
        Assert.Equal("s3.eu-central-1.amazonaws.com", connection.Endpoint.ServiceAuthority);
    }

    [Theory]
    [InlineData("AWS_ENDPOINT_URL", "ftp://host:21", "must be http(s)://host[:port] or host[:port]")]
    [InlineData("AWS_ENDPOINT_URL", "http://host:7480/some/path", "must be host[:port] with no path")]
    [InlineData("AWS_ENDPOINT_URL", "http://host:99999", "port")]
    [InlineData("AWS_USE_SSL", "maybe", "AWS_USE_SSL (environment variable AWS_USE_SSL) must be true or false (got 'maybe')")]
    [InlineData("AWS_VERIFY_SSL", "nope", "AWS_VERIFY_SSL (environment variable AWS_VERIFY_SSL) must be true or false")]
    public void Malformed_values_are_refused_with_the_key_and_where_it_came_from(string key, string value, string expected)
    {
        var exception = Assert.Throws<StoreConnectionException>(() =>
            StoreConnectionResolver.Resolve(Store, new StoreSecretReader(null, Environment(new() { [key] = value })).Read(null)));

        Assert.Contains(expected, exception.Message);
    }

    [Fact]
    public void Secret_values_never_show_in_descriptions()
    {
        Mount("s3-secret", new() { ["AWS_ACCESS_KEY_ID"] = "KEYID", ["AWS_SECRET_ACCESS_KEY"] = "very-secret-value" });
        StoreSecret secret = new StoreSecretReader(_secrets, Environment(new())).Read("s3-secret");
        var connection = Assert.IsType<S3StoreConnection>(StoreConnectionResolver.Resolve(Store, secret));

        Assert.DoesNotContain("very-secret-value", secret.ToString());
        Assert.DoesNotContain("very-secret-value", connection.ToString());
        Assert.Contains("KEYID", connection.ToString());
    }

    private void Mount(string name, Dictionary<string, string> files)
    {
        // As the kubelet lays a Secret out: the files are links into a timestamped ..data directory.
        string directory = Path.Combine(_secrets, name);
        string data = Path.Combine(directory, "..2024_01_01_00_00_00.000000001");
        Directory.CreateDirectory(data);
        foreach (var (key, value) in files)
        {
            File.WriteAllText(Path.Combine(data, key), value);
            File.CreateSymbolicLink(Path.Combine(directory, key), Path.Combine(data, key));
        }
    }

    private static CredentialEnvironment Environment(Dictionary<string, string> values) =>
        new(name => values.GetValueOrDefault(name));
}
