using System.Diagnostics;
using Sluice.IntegrationTests.Azure;
using Sluice.IntegrationTests.S3;
using Xunit.Abstractions;

namespace Sluice.IntegrationTests.Artifacts.Transfers;

/// <summary>A push killed half-way (SIGKILL: no cleanup runs), then run again; a push and a pull stopped (SIGTERM), then run again.</summary>
public abstract class InterruptedPushTests(ITestOutputHelper output)
{
    /// <summary>A fresh workspace on the store under test (see the classes at the end of the file).</summary>
    protected abstract ArtifactsWorkspace NewWorkspace();

    private const long BigFileBytes = 120L * 1024 * 1024;

    [Fact]
    public async Task A_killed_push_rerun_completes_without_resending_what_was_done_and_leaves_no_partial_or_duplicate_object()
    {
        await using var workspace = NewWorkspace();
        string tree = workspace.MakeDirectory("tree");
        LocalTree.WriteRandom(Path.Combine(tree, "checkpoints", "big.bin"), BigFileBytes);
        for (int i = 0; i < 200; i++)
        {
            LocalTree.WriteText(Path.Combine(tree, "metrics", $"step-{i:000}.json"), $"{{\"step\": {i}}}");
        }

        const string run = "run-killed";
        string bigKey = $"{workspace.Prefix}/{run}/outputs/checkpoints/big.bin";
        string[] push = ["push", tree, "--part-size", "5MiB", "--concurrency", "2"];

        // Kill it once a few parts of the big file are in.
        using (SluiceChild first = workspace.Start(run, push))
        {
            var stopwatch = Stopwatch.StartNew();
            int parts = 0;
            while (parts < 4)
            {
                Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(60), "the push never got 4 parts in:\n" + first.StandardOutput);
                var upload = (await workspace.UploadsInProgressAsync()).FirstOrDefault(u => u.Key == bigKey);
                if (upload is not null)
                {
                    parts = await workspace.Store.PartsInProgressAsync(upload);
                }

                await Task.Delay(50);
            }

            first.Kill();
            var killed = await first.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.NotEqual(0, killed.ExitCode);
            output.WriteLine($"killed after {stopwatch.Elapsed.TotalSeconds:0.0} s with {parts}+ parts in");
        }

        // Nothing partial is visible: the big file is not there at all until its upload completes.
        Assert.False(await workspace.Store.ExistsAsync(bigKey));
        Assert.Contains(await workspace.UploadsInProgressAsync(), u => u.Key == bigKey);
        int storedBefore = (await workspace.ListRunAsync(run)).Count;

        // Again: the parts already in are kept, the files already in are skipped.
        var second = await workspace.RunAsync(run, push);
        Assert.True(second.ExitCode == 0, second.ToString());
        output.WriteLine(second.StandardOutput.Split('\n').First(l => l.Contains("big.bin", StringComparison.Ordinal)));
        output.WriteLine(second.StandardOutput.TrimEnd().Split('\n')[^1]);
        Assert.Contains("resumed outputs/checkpoints/big.bin (120.0 MiB, ", second.StandardOutput);
        Assert.Contains($"{storedBefore} skipped (unchanged)", second.StandardOutput);

        // Complete, exactly once each, byte-identical, and no upload left in progress.
        Assert.Empty(await workspace.UploadsInProgressAsync());
        var stored = await workspace.ListRunAsync(run);
        var local = LocalTree.Files(tree);
        Assert.Equal(local.Select(f => ("outputs/" + f.Key, f.Value)), stored.Select(s => (s.Key, s.Value.Size)).OrderBy(s => s.Key, StringComparer.Ordinal));
        Assert.EndsWith("-24\"", stored["outputs/checkpoints/big.bin"].ETag);
        string copy = Path.Combine(workspace.Root, "copy");
        var pull = await workspace.RunAsync(run, "pull", "outputs", copy);
        Assert.True(pull.ExitCode == 0, pull.ToString());
        LocalTree.AssertIdentical(tree, copy);
    }

    [Fact]
    public async Task A_push_or_pull_stopped_by_SIGTERM_exits_130_saying_so_and_the_same_command_finishes_it()
    {
        await using var workspace = NewWorkspace();
        string tree = workspace.MakeDirectory("tree");
        LocalTree.WriteRandom(Path.Combine(tree, "big.bin"), BigFileBytes);
        const string run = "run-stopped";
        string bigKey = $"{workspace.Prefix}/{run}/outputs/big.bin";
        string[] push = ["push", tree, "--part-size", "5MiB", "--concurrency", "2"];

        using (SluiceChild pushing = workspace.Start(run, push))
        {
            var stopwatch = Stopwatch.StartNew();
            while ((await workspace.UploadsInProgressAsync()).FirstOrDefault(u => u.Key == bigKey) is not { } upload
                || await workspace.Store.PartsInProgressAsync(upload) < 2)
            {
                Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(60), "the push never got 2 parts in:\n" + pushing.StandardOutput);
                await Task.Delay(20);
            }

            pushing.Terminate();
            var stopped = await pushing.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(stopped.ExitCode == 130, stopped.ToString());
            Assert.Contains("interrupted: what was done is kept; run the same command again to finish", stopped.StandardError);
        }

        var again = await workspace.RunAsync(run, push);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("resumed outputs/big.bin", again.StandardOutput);

        // A pull stopped while its file comes in leaves neither the file nor its temporary name.
        string copy = workspace.MakeDirectory("copy");
        string[] pull = ["pull", "outputs", copy, "--part-size", "5MiB", "--concurrency", "1"];
        using (SluiceChild pulling = workspace.Start(run, pull))
        {
            var stopwatch = Stopwatch.StartNew();
            while (!Directory.EnumerateFiles(copy, ".sluice-*").Any())
            {
                Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(60), "the pull never started its file:\n" + pulling.StandardOutput);
                await Task.Delay(5);
            }

            pulling.Terminate();
            var stopped = await pulling.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(stopped.ExitCode == 130, stopped.ToString());
            Assert.Contains("interrupted", stopped.StandardError);
            Assert.Empty(Directory.EnumerateFileSystemEntries(copy));
        }

        var pulled = await workspace.RunAsync(run, pull);
        Assert.True(pulled.ExitCode == 0, pulled.ToString());
        LocalTree.AssertIdentical(tree, copy);
    }
}

[Collection(ArtifactsCollection.Name)]
public sealed class InterruptedPushTestsOnRadosGateway(RadosGatewayFixture gateway, ITestOutputHelper output) : InterruptedPushTests(output)
{
    protected override ArtifactsWorkspace NewWorkspace() => new(gateway);
}

[Collection(AzuriteCollection.Name)]
public sealed class InterruptedPushTestsOnAzurite(AzuriteFixture azurite, ITestOutputHelper output) : InterruptedPushTests(output)
{
    protected override ArtifactsWorkspace NewWorkspace() => new(azurite);
}
