using Amazon.S3;
using Amazon.S3.Model;
using Sluice.IntegrationTests.S3;

namespace Sluice.IntegrationTests.Artifacts;

/// <summary>Where <c>sluice artifacts</c> finds its stores and secrets, and what it says when they are wrong.</summary>
[Collection(ArtifactsCollection.Name)]
public sealed class ArtifactsConfigCliTests(RadosGatewayFixture gateway)
{
    [Fact]
    public async Task A_bad_config_exits_2_naming_the_file_the_line_and_what_is_expected()
    {
        await using var workspace = new ArtifactsWorkspace(gateway);
        await File.WriteAllTextAsync(workspace.ConfigPath, """
            artifactsStore:
              name: s3-artifacts
              kind: s3
              schema:
                bucket: "bucket"
                region: x
              secret:
                name: "s3-secret"
            """);

        var result = await workspace.RunAsync("r", "ls");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(
            $"sluice artifacts ls: {workspace.ConfigPath} line 5: artifactsStore.schema.bucket must be s3://bucket/ or s3://bucket/prefix/ (got 'bucket')\n"
            + $"sluice artifacts ls: {workspace.ConfigPath} line 6: artifactsStore.schema.region is not a known key (expected bucket)\n",
            result.StandardError);
    }

    [Theory]
    [InlineData(new[] { "push", "--run", "r" }, "give at least one LOCAL file or directory")]
    [InlineData(new[] { "push", "x", "--to", "../other-run/outputs", "--run", "r" }, "--to: the path '../other-run/outputs' has a '..' segment")]
    [InlineData(new[] { "push", "x", "--to", "/outputs", "--run", "r" }, "is absolute")]
    [InlineData(new[] { "push", "x", "--to", "models", "--run", "r" }, "must start with one of a run's directories")]
    [InlineData(new[] { "pull", "outputs/../../x", "dir", "--run", "r" }, "has a '..' segment")]
    [InlineData(new[] { "rm", "--run", "r" }, "give one PATH")]
    [InlineData(new[] { "pull", "outputs", "dir", "--run", "r", "--part-size", "1MiB" }, "the part size must be from 5 MiB to 5 GiB")]
    [InlineData(new[] { "pull", "outputs", "dir", "--run", "r", "--concurrency", "many" }, "--concurrency must be a whole number")]
    [InlineData(new[] { "rm", "outputs", "--run", "r", "--concurrency", "many" }, "--concurrency must be a whole number")]
    [InlineData(new[] { "ls", "--run", "r", "--concurrency", "4" }, "unknown option --concurrency")]
    [InlineData(new[] { "rm", "outputs", "--run", "r", "--part-size", "8MiB" }, "unknown option --part-size")]
    [InlineData(new[] { "ls", "--run", "r", "--bogus" }, "unknown option --bogus")]
    [InlineData(new[] { "push", "x", "-z", "--run", "r" }, "unknown option -z (a local path that starts with '-' can be given as ./-z)")]
    [InlineData(new[] { "ls", "--run", "a/b" }, "the run name 'a/b' must be a single name")]
    [InlineData(new[] { "ls", "--run", "r", "--store", "nope" }, "no store named 'nope'")]
    public async Task Bad_arguments_exit_2_with_a_message(string[] arguments, string expected)
    {
        await using var workspace = new ArtifactsWorkspace(gateway);

        var result = await SluiceChild.RunAsync(["artifacts", .. arguments, "--config", workspace.ConfigPath, "--secrets-dir", workspace.SecretsDirectory], new Dictionary<string, string>());

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.StandardError);
    }

    [Fact]
    public async Task Without_a_config_it_says_how_to_give_one()
    {
        var result = await SluiceChild.RunAsync(["artifacts", "ls", "--run", "r"], new Dictionary<string, string>());

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no stores file: give --config FILE or set SLUICE_CONFIG", result.StandardError);
    }

    [Fact]
    public async Task Config_secrets_dir_and_run_come_from_the_environment_too()
    {
        await using var workspace = new ArtifactsWorkspace(gateway);
        string file = Path.Combine(workspace.Root, "a.txt");
        await File.WriteAllTextAsync(file, "from env");
        var environment = new Dictionary<string, string>
        {
            ["SLUICE_CONFIG"] = workspace.ConfigPath,
            ["SLUICE_SECRETS_DIR"] = workspace.SecretsDirectory,
            ["SLUICE_RUN"] = "env-run",
        };

        var result = await SluiceChild.RunAsync(["artifacts", "push", file], environment);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["outputs/a.txt"], (await workspace.ListRunAsync("env-run")).Keys);
    }

    [Fact]
    public async Task Keys_come_from_the_environment_when_no_secret_is_mounted()
    {
        await using var workspace = new ArtifactsWorkspace(gateway);
        Directory.Delete(Path.Combine(workspace.SecretsDirectory, ArtifactsWorkspace.SecretName), recursive: true);
        string file = Path.Combine(workspace.Root, "a.txt");
        await File.WriteAllTextAsync(file, "keys from the environment");

        var result = await SluiceChild.RunAsync(workspace.WithStore("r", ["push", file]), workspace.StoreKeys());

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["outputs/a.txt"], (await workspace.ListRunAsync("r")).Keys);
    }

    [Fact]
    public async Task A_secret_without_keys_leaves_them_to_the_default_chain()
    {
        await using var workspace = new ArtifactsWorkspace(gateway);
        workspace.MountSecret(ArtifactsWorkspace.SecretName, new Dictionary<string, string> { ["AWS_ENDPOINT_URL"] = workspace.StoreKeys()["AWS_ENDPOINT_URL"] });
        var noProfiles = new Dictionary<string, string>
        {
            ["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(workspace.Root, "no-credentials"),
            ["AWS_CONFIG_FILE"] = Path.Combine(workspace.Root, "no-config"),
        };

        // The chain's first link, the environment, has the keys.
        var withKeys = await SluiceChild.RunAsync(workspace.WithStore("r", ["ls"]), new Dictionary<string, string>(noProfiles)
        {
            ["AWS_ACCESS_KEY_ID"] = gateway.Credentials.AccessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = gateway.Credentials.SecretAccessKey,
        });
        Assert.True(withKeys.ExitCode == 0, withKeys.ToString());

        // No link has any: a configuration error that names every source tried.
        var without = await SluiceChild.RunAsync(workspace.WithStore("r", ["ls"]), noProfiles);
        Assert.Equal(2, without.ExitCode);
        Assert.Contains("has no AWS_ACCESS_KEY_ID, and no source in the default credential chain gave credentials (environment: AWS_ACCESS_KEY_ID is not set;", without.StandardError);
    }

    [Fact]
    public async Task A_mounted_secret_wins_over_the_environment()
    {
        await using var workspace = new ArtifactsWorkspace(gateway);
        string file = Path.Combine(workspace.Root, "a.txt");
        await File.WriteAllTextAsync(file, "precedence");
        var wrong = workspace.StoreKeys();
        wrong["AWS_SECRET_ACCESS_KEY"] = "not-the-secret-key-0000000000000000000000";
        wrong["AWS_ENDPOINT_URL"] = "http://127.0.0.1:1";

        // The right keys mounted, wrong ones in the environment: the mounted ones are used.
        var mountedRight = await SluiceChild.RunAsync(workspace.WithStore("r", ["push", file]), wrong);
        Assert.True(mountedRight.ExitCode == 0, mountedRight.ToString());

        // Wrong keys mounted, the right ones in the environment: still the mounted ones, refused.
        workspace.MountSecret(ArtifactsWorkspace.SecretName, new Dictionary<string, string>(workspace.StoreKeys()) { ["AWS_SECRET_ACCESS_KEY"] = "not-the-secret-key-0000000000000000000000" });
        var mountedWrong = await SluiceChild.RunAsync(workspace.WithStore("r", ["ls"]), workspace.StoreKeys());
        Assert.Equal(1, mountedWrong.ExitCode);
        Assert.StartsWith("sluice artifacts ls: 403 ", mountedWrong.StandardError); // RGW answers AccessDenied or SignatureDoesNotMatch
    }

    [Fact]
    public async Task The_seed_example_works_as_written_with_its_secret()
    {
        // The seed's (and SPEC's) example verbatim: bucket "bucket", secret "s3-secret".
        const string seed = """
            artifactsStore:
              name: s3-artifacts
              kind: s3
              schema:
                bucket: "s3://bucket/"
              secret:
                name: "s3-secret"
            """;
        await using var workspace = new ArtifactsWorkspace(gateway);
        await File.WriteAllTextAsync(workspace.ConfigPath, seed);
        try
        {
            await gateway.S3.PutBucketAsync("bucket");
        }
        catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
        {
        }

        string run = "seed-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            string file = Path.Combine(workspace.Root, "result.json");
            await File.WriteAllTextAsync(file, "{\"accuracy\": 0.93}");

            var push = await workspace.RunAsync(run, "push", file);
            Assert.True(push.ExitCode == 0, push.ToString());
            var head = await gateway.S3.GetObjectMetadataAsync("bucket", $"{run}/outputs/result.json");
            Assert.Equal("application/json", head.Headers.ContentType);
            var ls = await workspace.RunAsync(run, "ls", "--flat");
            Assert.Equal("18\toutputs/result.json\n", ls.StandardOutput);
            Assert.Equal(0, (await workspace.RunAsync(run, "rm", "outputs")).ExitCode);
            Assert.Empty((await gateway.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "bucket", Prefix = run + "/" })).S3Objects ?? []);
        }
        finally
        {
            try
            {
                await gateway.S3.DeleteBucketAsync("bucket");
            }
            catch (AmazonS3Exception)
            {
                // another run's objects may still be there; the gateway is thrown away after the tests
            }
        }
    }
}
