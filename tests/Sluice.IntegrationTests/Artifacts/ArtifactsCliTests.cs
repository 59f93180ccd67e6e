using System.Diagnostics;
using System.Globalization;
using Sluice.IntegrationTests.Azure;
using Sluice.IntegrationTests.S3;
using Xunit.Abstractions;

namespace Sluice.IntegrationTests.Artifacts;

/// <summary><c>sluice artifacts</c> as a real process against each real store (the classes at the end of the file): a whole run's tree there and back.</summary>
public abstract class ArtifactsCliTests(ITestOutputHelper output)
{
    /// <summary>A fresh workspace on the store under test (see the classes at the end of the file).</summary>
    protected abstract ArtifactsWorkspace NewWorkspace();

    private const long BigFileBytes = 200L * 1000 * 1000;
    private const int SmallFiles = 2000;

    [Fact]
    public async Task A_tree_goes_up_comes_back_identical_lists_skips_when_unchanged_and_is_removed_whole()
    {
        await using var workspace = NewWorkspace();
        string tree = workspace.MakeDirectory("tree");
        LocalTree.WriteRandom(Path.Combine(tree, "model", "weights.bin"), BigFileBytes);
        LocalTree.WriteText(Path.Combine(tree, "a", "b", "c", "deep.txt"), "deep");
        LocalTree.WriteText(Path.Combine(tree, "unicodé ✓", "naïve file – ü.txt"), "ünïcödé");
        LocalTree.WriteText(Path.Combine(tree, "with space", "file name with spaces.csv"), "a,b\n1,2\n");
        LocalTree.WriteText(Path.Combine(tree, "symbols", "a+b=c&d%20e'f.txt"), "symbols");
        LocalTree.WriteText(Path.Combine(tree, "empty.txt"), "");
        LocalTree.WriteText(Path.Combine(tree, "nested", "empty", "zero"), "");
        var random = new Random(42);
        for (int i = 0; i < SmallFiles; i++)
        {
            byte[] content = new byte[random.Next(0, 4096)];
            random.NextBytes(content);
            string path = Path.Combine(tree, "small", $"d{i % 20:00}", $"f{i:0000}.bin");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, content);
        }

        var local = LocalTree.Files(tree);
        const string run = "run-tree";

        // Push: everything arrives under outputs/, nothing multipart is left behind.
        var push = await Timed("push", () => workspace.RunAsync(run, "push", tree));
        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.Contains($"sent: {local.Count} files", push.StandardOutput);
        Assert.Contains($"{local.Count} sent, 0 skipped (unchanged), 0 failed", push.StandardOutput);
        output.WriteLine($"push peak RSS {push.PeakRssBytes / 1024 / 1024} MiB");
        Assert.InRange(push.PeakRssBytes, 1, 200L * 1024 * 1024);
        var stored = await workspace.ListRunAsync(run);
        Assert.Equal(local.Select(f => ("outputs/" + f.Key, f.Value)), stored.Select(s => (s.Key, s.Value.Size)).OrderBy(s => s.Key, StringComparer.Ordinal));
        Assert.EndsWith("-12\"", stored["outputs/model/weights.bin"].ETag); // 200 MB in 16 MiB parts
        Assert.Empty(await workspace.UploadsInProgressAsync());

        // ls --flat: the same files and sizes; ls: a tree with totals.
        var flat = await workspace.RunAsync(run, "ls", "--flat");
        Assert.True(flat.ExitCode == 0, flat.ToString());
        Assert.Equal(
            local.Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Value}\toutputs/{f.Key}")),
            flat.StandardOutput.TrimEnd('\n').Split('\n'));
        var ls = await workspace.RunAsync(run, "ls");
        Assert.True(ls.ExitCode == 0, ls.ToString());
        string totalSize = Core.Transfers.Sizes.Format(local.Values.Sum());
        Assert.StartsWith($"{run}/  ({local.Count} files, {totalSize})\n└── outputs/  ({local.Count} files, {totalSize})\n", ls.StandardOutput);
        Assert.Contains("│   └── weights.bin  190.7 MiB\n", ls.StandardOutput);
        Assert.Contains("unicodé ✓/  (1 file, 11 B)", ls.StandardOutput);
        var lsFile = await workspace.RunAsync(run, "ls", "outputs/with space/file name with spaces.csv", "--flat");
        Assert.Equal("8\toutputs/with space/file name with spaces.csv\n", lsFile.StandardOutput);

        // A second push sends nothing.
        var again = await Timed("push again", () => workspace.RunAsync(run, "push", tree));
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains($"0 sent, {local.Count} skipped (unchanged), 0 failed; 0 B moved", again.StandardOutput);

        // Pull into an empty directory: byte-identical.
        string copy = Path.Combine(workspace.Root, "copy");
        var pull = await Timed("pull", () => workspace.RunAsync(run, "pull", "outputs", copy));
        Assert.True(pull.ExitCode == 0, pull.ToString());
        output.WriteLine($"pull peak RSS {pull.PeakRssBytes / 1024 / 1024} MiB");
        Assert.InRange(pull.PeakRssBytes, 1, 200L * 1024 * 1024);
        LocalTree.AssertIdentical(tree, copy);

        // One file by itself, and a sub-directory, land where asked.
        string single = Path.Combine(workspace.Root, "single");
        Assert.Equal(0, (await workspace.RunAsync(run, "pull", "outputs/unicodé ✓/naïve file – ü.txt", single)).ExitCode);
        Assert.Equal("ünïcödé", await File.ReadAllTextAsync(Path.Combine(single, "naïve file – ü.txt")));
        string sub = Path.Combine(workspace.Root, "sub");
        Assert.Equal(0, (await workspace.RunAsync(run, "pull", "outputs/a/", sub)).ExitCode);
        Assert.Equal(["b/c/deep.txt"], LocalTree.Files(sub).Keys);

        // rm of a directory, then of everything: nothing is left.
        var rmSmall = await Timed("rm small", () => workspace.RunAsync(run, "rm", "outputs/small"));
        Assert.True(rmSmall.ExitCode == 0, rmSmall.ToString());
        Assert.Contains($"deleted outputs/small: {SmallFiles} files", rmSmall.StandardOutput);
        Assert.DoesNotContain((await workspace.ListRunAsync(run)).Keys, k => k.StartsWith("outputs/small/", StringComparison.Ordinal));
        Assert.Equal(0, (await workspace.RunAsync(run, "rm", "outputs/empty.txt")).ExitCode);
        var rmAll = await workspace.RunAsync(run, "rm", "outputs");
        Assert.True(rmAll.ExitCode == 0, rmAll.ToString());
        Assert.Empty(await workspace.ListRunAsync(run));
        Assert.Empty(await workspace.UploadsInProgressAsync());

        var gone = await workspace.RunAsync(run, "rm", "outputs/model");
        Assert.Equal(1, gone.ExitCode);
        Assert.Contains("nothing at outputs/model in run run-tree", gone.StandardError);
    }

    [Fact]
    public async Task Files_go_to_the_directory_named_by_to_and_keep_their_names()
    {
        await using var workspace = NewWorkspace();
        string log = Path.Combine(workspace.Root, "train.log");
        LocalTree.WriteText(log, "epoch 1\n");
        string events = workspace.MakeDirectory("events");
        LocalTree.WriteText(Path.Combine(events, "tb", "events.out"), "tb");

        Assert.Equal(0, (await workspace.RunAsync("r", "push", log, "--to", "logs")).ExitCode);
        Assert.Equal(0, (await workspace.RunAsync("r", "push", events, "--to", "events/tensorboard/")).ExitCode);
        Assert.Equal(0, (await workspace.RunAsync("r", "push", log, "--to", "assets/kept")).ExitCode);

        Assert.Equal(["assets/kept/train.log", "events/tensorboard/tb/events.out", "logs/train.log"], (await workspace.ListRunAsync("r")).Keys.Order(StringComparer.Ordinal));
    }

    private async Task<SluiceChild.Result> Timed(string what, Func<Task<SluiceChild.Result>> step)
    {
        var stopwatch = Stopwatch.StartNew();
        var result = await step();
        output.WriteLine($"{what}: {stopwatch.Elapsed.TotalSeconds:0.0} s (exit {result.ExitCode}); {result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()}");
        return result;
    }
}

[Collection(ArtifactsCollection.Name)]
public sealed class ArtifactsCliTestsOnRadosGateway(RadosGatewayFixture gateway, ITestOutputHelper output) : ArtifactsCliTests(output)
{
    protected override ArtifactsWorkspace NewWorkspace() => new(gateway);
}

[Collection(AzuriteCollection.Name)]
public sealed class ArtifactsCliTestsOnAzurite(AzuriteFixture azurite, ITestOutputHelper output) : ArtifactsCliTests(output)
{
    protected override ArtifactsWorkspace NewWorkspace() => new(azurite);
}
