using System.Diagnostics;
using Sluice.IntegrationTests.Azure;
using Sluice.IntegrationTests.S3;

namespace Sluice.IntegrationTests.Artifacts.Transfers;

/// <summary><c>sluice artifacts sync --watch</c> as a job's sidecar: it follows the directory, and flushes when stopped.</summary>
public abstract class SyncWatchTests
{
    /// <summary>A fresh workspace on the store under test (see the classes at the end of the file).</summary>
    protected abstract ArtifactsWorkspace NewWorkspace();

    [Fact]
    public async Task Sync_watch_picks_up_new_changed_and_deleted_files_and_flushes_on_SIGTERM()
    {
        await using var workspace = NewWorkspace();
        string job = workspace.MakeDirectory("job");
        const string run = "run-sync";
        LocalTree.WriteText(Path.Combine(job, "before.txt"), "before");
        // Already in the store, not in the directory: a sync must leave it alone.
        string earlier = Path.Combine(workspace.Root, "earlier.txt");
        LocalTree.WriteText(earlier, "from an earlier attempt");
        Assert.Equal(0, (await workspace.RunAsync(run, "push", earlier)).ExitCode);

        using SluiceChild sync = workspace.Start(run, "sync", job, "--watch", "--interval", "0.2");
        await UntilAsync(workspace, run, new() { ["outputs/before.txt"] = 6, ["outputs/earlier.txt"] = 23 }, sync);

        LocalTree.WriteText(Path.Combine(job, "metrics", "step-1.json"), "{\"loss\": 1.0}");
        LocalTree.WriteText(Path.Combine(job, "model é.bin"), "weights v1");
        await UntilAsync(workspace, run, new() { ["outputs/before.txt"] = 6, ["outputs/earlier.txt"] = 23, ["outputs/metrics/step-1.json"] = 13, ["outputs/model é.bin"] = 10 }, sync);

        LocalTree.WriteText(Path.Combine(job, "model é.bin"), "weights v2, longer");
        File.Delete(Path.Combine(job, "before.txt"));
        await UntilAsync(workspace, run, new() { ["outputs/earlier.txt"] = 23, ["outputs/metrics/step-1.json"] = 13, ["outputs/model é.bin"] = 18 }, sync);

        // The job's last words, then the pod stops: only the flush can carry them.
        LocalTree.WriteText(Path.Combine(job, "final.txt"), "done");
        sync.Terminate();
        var result = await sync.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("flushed: ", result.StandardOutput);
        var stored = await workspace.ListRunAsync(run);
        Assert.Equal(["outputs/earlier.txt", "outputs/final.txt", "outputs/metrics/step-1.json", "outputs/model é.bin"], stored.Keys.Order(StringComparer.Ordinal));
        string copy = Path.Combine(workspace.Root, "copy");
        Assert.Equal(0, (await workspace.RunAsync(run, "pull", "outputs/model é.bin", copy)).ExitCode);
        Assert.Equal("weights v2, longer", await File.ReadAllTextAsync(Path.Combine(copy, "model é.bin")));
    }

    [Fact]
    public async Task Sync_without_watch_is_one_pass()
    {
        await using var workspace = NewWorkspace();
        string job = workspace.MakeDirectory("job");
        LocalTree.WriteText(Path.Combine(job, "a", "b.txt"), "b");

        var first = await workspace.RunAsync("r", "sync", job, "--to", "logs");
        var second = await workspace.RunAsync("r", "sync", job, "--to", "logs");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("synced: 1 sent, 0 unchanged, 0 deleted, 0 failed", first.StandardOutput);
        Assert.Contains("synced: 0 sent, 1 unchanged, 0 deleted, 0 failed", second.StandardOutput);
        Assert.Equal(["logs/a/b.txt"], (await workspace.ListRunAsync("r")).Keys);
    }

    private static async Task UntilAsync(ArtifactsWorkspace workspace, string run, Dictionary<string, long> expected, SluiceChild sync)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            var stored = (await workspace.ListRunAsync(run)).ToDictionary(s => s.Key, s => s.Value.Size);
            if (stored.Count == expected.Count && expected.All(e => stored.TryGetValue(e.Key, out long size) && size == e.Value))
            {
                return;
            }

            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(30),
                $"the store never matched; it has {string.Join(", ", stored.Select(s => $"{s.Key}={s.Value}"))}\n{sync.StandardOutput}");
            await Task.Delay(100);
        }
    }
}

[Collection(ArtifactsCollection.Name)]
public sealed class SyncWatchTestsOnRadosGateway(RadosGatewayFixture gateway) : SyncWatchTests
{
    protected override ArtifactsWorkspace NewWorkspace() => new(gateway);
}

[Collection(AzuriteCollection.Name)]
public sealed class SyncWatchTestsOnAzurite(AzuriteFixture azurite) : SyncWatchTests
{
    protected override ArtifactsWorkspace NewWorkspace() => new(azurite);
}
