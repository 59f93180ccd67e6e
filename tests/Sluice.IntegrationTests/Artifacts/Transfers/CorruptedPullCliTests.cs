using Sluice.IntegrationTests.S3;

namespace Sluice.IntegrationTests.Artifacts.Transfers;

/// <summary>
/// <c>sluice artifacts pull</c>, the process users run (the native client under scripts/test.sh),
/// through a path that inverts a byte of every connection: the pull fails and leaves no file.
/// </summary>
[Collection(ArtifactsCollection.Name)]
public sealed class CorruptedPullCliTests(RadosGatewayFixture gateway)
{
    private const long MiB = 1024 * 1024;

    [Fact]
    public async Task Bytes_changed_on_the_way_fail_the_pull_with_exit_1_and_leave_no_file_then_a_clean_pull_is_identical()
    {
        await using var workspace = new ArtifactsWorkspace(gateway);
        string tree = workspace.MakeDirectory("tree");
        LocalTree.WriteRandom(Path.Combine(tree, "parts.bin"), (12 * MiB) + 3); // three parts: ranges checked by their part MD5s
        LocalTree.WriteRandom(Path.Combine(tree, "whole.bin"), 4 * MiB);        // one PUT: checked by its MD5
        const string run = "corrupted";
        var push = await workspace.RunAsync(run, "push", tree, "--part-size", "5MiB");
        Assert.True(push.ExitCode == 0, push.ToString());

        await using var proxy = new GatewayProxy(gateway.ServiceUrl) { FlipServerByteAt = MiB };
        Dictionary<string, string> keys = workspace.StoreKeys();
        string straight = keys["AWS_ENDPOINT_URL"];
        keys["AWS_ENDPOINT_URL"] = $"http://{proxy.Authority}";
        workspace.MountSecret(ArtifactsWorkspace.SecretName, keys);
        string copy = workspace.MakeDirectory("copy");

        var pull = await workspace.RunAsync(run, "pull", "outputs", copy, "--part-size", "5MiB");

        Assert.True(pull.ExitCode == 1, pull.ToString());
        Assert.True(proxy.Flipped >= 2, $"{proxy.Flipped} bytes flipped");
        foreach (string name in new[] { "parts.bin", "whole.bin" })
        {
            Assert.Contains($"failed outputs/{name}: ", pull.StandardError);
        }

        Assert.Contains("do not match the object's ETag", pull.StandardError);
        Assert.Contains("0 received, 0 skipped (unchanged), 2 failed", pull.StandardOutput);
        Assert.Empty(Directory.EnumerateFileSystemEntries(copy, "*", SearchOption.AllDirectories));

        // The same pull straight from the gateway is whole and identical.
        keys["AWS_ENDPOINT_URL"] = straight;
        workspace.MountSecret(ArtifactsWorkspace.SecretName, keys);
        pull = await workspace.RunAsync(run, "pull", "outputs", copy, "--part-size", "5MiB");
        Assert.True(pull.ExitCode == 0, pull.ToString());
        foreach (string name in new[] { "parts.bin", "whole.bin" })
        {
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(tree, name)), await File.ReadAllBytesAsync(Path.Combine(copy, name)));
        }
    }
}
