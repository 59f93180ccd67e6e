using System.Net;
using Amazon.S3.Model;
using Sluice.Core.Signing;
using Sluice.IntegrationTests.S3;
using Sluice.Core.Artifacts.Runs;
using Sluice.Core.Artifacts.Transfers;
using Sluice.Core.Transfers;
using Sluice.Core.Providers;

namespace Sluice.IntegrationTests.Artifacts;

/// <summary>The store client's rules, checked in-process against the RADOS Gateway.</summary>
[Collection(ArtifactsCollection.Name)]
public sealed class ArtifactClientTests(RadosGatewayFixture gateway)
{
    private const long MiB = 1024 * 1024;

    [Fact]
    public async Task An_object_another_tool_sent_with_another_part_size_is_recognised_as_unchanged()
    {
        await using var workspace = new ArtifactsWorkspace(gateway);
        using var client = await workspace.ConnectAsync(new TransferOptions());
        RunLayout run = client.Run("r");
        string file = Path.Combine(workspace.Root, "data.bin");
        LocalTree.WriteRandom(file, (12 * MiB) + 7);
        string key = run.KeyOf(RunPath.Parse("outputs/data.bin"));
        await UploadInPartsAsync(key, file, 5 * MiB, completed: true); // as rclone would: 3 parts of 5 MiB

        var summary = await client.PushAsync(run, [file], RunPath.Parse("outputs"));

        Assert.Equal(FileOutcome.Skipped, Assert.Single(summary.Files).Outcome);
        Assert.Equal(0, summary.BytesMoved);

        // Changed by one byte at the end: sent again.
        await using (var stream = new FileStream(file, FileMode.Append))
        {
            stream.WriteByte(1);
        }

        summary = await client.PushAsync(run, [file], RunPath.Parse("outputs"));
        Assert.Equal(FileOutcome.Transferred, Assert.Single(summary.Files).Outcome);
        Assert.Equal((12 * MiB) + 8, (await gateway.S3.GetObjectMetadataAsync(gateway.Bucket, key)).ContentLength);
    }

    [Fact]
    public async Task Unfinished_uploads_that_do_not_fit_are_aborted_and_the_file_sent_whole()
    {
        await using var workspace = new ArtifactsWorkspace(gateway);
        using var client = await workspace.ConnectAsync(new TransferOptions { PartSize = 5 * MiB, Concurrency = 4 });
        RunLayout run = client.Run("r");
        string file = Path.Combine(workspace.Root, "data.bin");
        LocalTree.WriteRandom(file, 11 * MiB);
        string key = run.KeyOf(RunPath.Parse("outputs/data.bin"));
        await UploadInPartsAsync(key, file, 6 * MiB, completed: false); // another part size: cannot be resumed
        await UploadInPartsAsync(key, file, 5 * MiB, completed: false); // fits: resumed

        var summary = await client.PushAsync(run, [file], RunPath.Parse("outputs"));

        FileResult result = Assert.Single(summary.Files);
        Assert.Equal(FileOutcome.Resumed, result.Outcome);
        Assert.Equal(MiB, result.BytesMoved); // parts 1 and 2 were in; only the last, 1 MiB, was sent
        Assert.Empty(await workspace.UploadsInProgressAsync());
        string copy = Path.Combine(workspace.Root, "copy");
        await client.PullAsync(run, RunPath.Parse("outputs"), copy);
        Assert.Equal(await File.ReadAllBytesAsync(file), await File.ReadAllBytesAsync(Path.Combine(copy, "data.bin")));
    }

    [Fact]
    public async Task Pull_skips_identical_files_replaces_changed_ones_and_checks_ranged_downloads()
    {
        await using var workspace = new ArtifactsWorkspace(gateway);
        using var client = await workspace.ConnectAsync(new TransferOptions { PartSize = 5 * MiB });
        RunLayout run = client.Run("r");
        string tree = workspace.MakeDirectory("tree");
        LocalTree.WriteRandom(Path.Combine(tree, "big.bin"), (17 * MiB) + 3);
        LocalTree.WriteText(Path.Combine(tree, "a.txt"), "remote");
        LocalTree.WriteText(Path.Combine(tree, "b.txt"), "same");
        await client.PushAsync(run, [tree], RunPath.Parse("assets"));
        string copy = workspace.MakeDirectory("copy");
        LocalTree.WriteText(Path.Combine(copy, "a.txt"), "local!");
        LocalTree.WriteText(Path.Combine(copy, "b.txt"), "same");

        var summary = await client.PullAsync(run, RunPath.Parse("assets"), copy);

        Assert.Equal(
            [("assets/a.txt", FileOutcome.Transferred), ("assets/b.txt", FileOutcome.Skipped), ("assets/big.bin", FileOutcome.Transferred)],
            summary.Files.Select(f => (f.Path, f.Outcome)));
        LocalTree.AssertIdentical(tree, copy);
        Assert.Empty(Directory.GetFiles(copy, ".sluice-*", SearchOption.AllDirectories));
        Assert.All((await client.PullAsync(run, RunPath.Parse("assets"), copy)).Files, f => Assert.Equal(FileOutcome.Skipped, f.Outcome));
    }

    [Fact]
    public async Task An_object_sent_in_parts_of_another_size_with_the_same_count_is_checked_and_pulled()
    {
        await using var workspace = new ArtifactsWorkspace(gateway);
        using var client = await workspace.ConnectAsync(new TransferOptions());
        RunLayout run = client.Run("r");
        string file = Path.Combine(workspace.Root, "data.bin");
        LocalTree.WriteRandom(file, (20 * MiB) + 5);
        // Parts of 10 MiB: 3 of them. The AWS CLI's 8 MiB also gives 3 parts for this size and is
        // tried first, so the ranges are cut at the wrong places for the part MD5s.
        await UploadInPartsAsync(run.KeyOf(RunPath.Parse("outputs/data.bin")), file, 10 * MiB, completed: true);
        string copy = workspace.MakeDirectory("copy");

        var summary = await client.PullAsync(run, RunPath.Parse("outputs"), copy);

        Assert.Equal(FileOutcome.Transferred, Assert.Single(summary.Files).Outcome);
        Assert.Equal(await File.ReadAllBytesAsync(file), await File.ReadAllBytesAsync(Path.Combine(copy, "data.bin")));
    }

    [Fact]
    public async Task Keys_that_are_not_plain_paths_are_never_written_outside_the_target()
    {
        await using var workspace = new ArtifactsWorkspace(gateway);
        using var client = await workspace.ConnectAsync(new TransferOptions());
        RunLayout run = client.Run("r");
        // Written by another tool, byte for byte (the SDK would not keep these keys as they are).
        foreach (string key in new[] { $"{run.RunPrefix}outputs/ok.txt", $"{run.RunPrefix}outputs/../../escape.txt", $"{run.RunPrefix}outputs/a//b.txt" })
        {
            using var response = await gateway.SendAsync(HttpMethod.Put, gateway.Presign(ObjectMethod.Put, key), "x"u8.ToArray());
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        string target = workspace.MakeDirectory("nested/target");
        var summary = await client.PullAsync(run, RunPath.Parse("outputs"), target);

        Assert.Equal(2, summary.Failed);
        Assert.All(summary.Files.Where(f => f.Outcome == FileOutcome.Failed), f => Assert.StartsWith("refused: the key's path has", f.Error));
        Assert.Equal(["ok.txt"], LocalTree.Files(target).Keys);
        Assert.False(File.Exists(Path.Combine(workspace.Root, "escape.txt")));
        Assert.False(File.Exists(Path.Combine(workspace.Root, "nested", "escape.txt")));

        var deleted = await client.DeleteAsync(run, RunPath.Parse("outputs"));
        Assert.Equal(3, deleted.Files);
        Assert.Empty(await workspace.ListRunAsync("r"));
    }

    [Fact]
    public async Task Rm_aborts_the_uploads_left_unfinished_under_the_directory()
    {
        await using var workspace = new ArtifactsWorkspace(gateway);
        using var client = await workspace.ConnectAsync(new TransferOptions());
        RunLayout run = client.Run("r");
        string file = Path.Combine(workspace.Root, "part.bin");
        LocalTree.WriteRandom(file, 6 * MiB);
        await UploadInPartsAsync(run.KeyOf(RunPath.Parse("logs/x/part.bin")), file, 5 * MiB, completed: false);
        await UploadInPartsAsync(run.KeyOf(RunPath.Parse("logs/xy/other.bin")), file, 5 * MiB, completed: false);

        var deleted = await client.DeleteAsync(run, RunPath.Parse("logs/x"));

        Assert.Equal(new DeleteSummary(0, 0, 1), deleted);
        Assert.Equal([run.KeyOf(RunPath.Parse("logs/xy/other.bin"))], (await workspace.UploadsInProgressAsync()).Select(u => u.Key));
        await Assert.ThrowsAsync<ArtifactNotFoundException>(() => client.DeleteAsync(run, RunPath.Parse("logs/x")));
        Assert.Empty(await client.ListAsync(run));
        Assert.Equal(new DeleteSummary(0, 0, 0), await client.DeleteAsync(run, RunPath.Parse("events")));
    }

    [Fact]
    public async Task Bytes_changed_on_the_way_fail_the_pull_and_leave_no_file()
    {
        await using var workspace = new ArtifactsWorkspace(gateway);
        var options = new TransferOptions { PartSize = 5 * MiB };
        using var client = await workspace.ConnectAsync(options);
        RunLayout run = client.Run("r");
        string tree = workspace.MakeDirectory("tree");
        LocalTree.WriteRandom(Path.Combine(tree, "parts.bin"), (12 * MiB) + 3); // three parts: ranges checked by their part MD5s
        LocalTree.WriteRandom(Path.Combine(tree, "whole.bin"), 4 * MiB);        // one PUT: checked by its MD5
        await client.PushAsync(run, [tree], RunPath.Parse("outputs"));
        await using var proxy = new GatewayProxy(gateway.ServiceUrl) { FlipServerByteAt = MiB };
        using var corrupted = await workspace.ConnectAsync(options, proxy.Authority);
        string copy = workspace.MakeDirectory("copy");

        var summary = await corrupted.PullAsync(run, RunPath.Parse("outputs"), copy);

        Assert.True(proxy.Flipped >= 2);
        Assert.All(summary.Files, f =>
        {
            Assert.Equal(FileOutcome.Failed, f.Outcome);
            Assert.Contains("do not match the object's ETag", f.Error);
        });
        Assert.Equal(2, summary.Files.Count);
        Assert.Empty(Directory.EnumerateFileSystemEntries(copy, "*", SearchOption.AllDirectories));

        // The same pull straight from the gateway is whole and identical.
        summary = await client.PullAsync(run, RunPath.Parse("outputs"), copy);
        Assert.All(summary.Files, f => Assert.Equal(FileOutcome.Transferred, f.Outcome));
        foreach (string name in new[] { "parts.bin", "whole.bin" })
        {
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(tree, name)), await File.ReadAllBytesAsync(Path.Combine(copy, name)));
        }
    }

    [Fact]
    public async Task A_large_file_is_pulled_over_at_most_its_streams_per_file_whatever_the_concurrency()
    {
        await using var workspace = new ArtifactsWorkspace(gateway);
        var options = new TransferOptions { PartSize = 5 * MiB, Concurrency = 16 };
        using var client = await workspace.ConnectAsync(options);
        RunLayout run = client.Run("r");
        string tree = workspace.MakeDirectory("tree");
        LocalTree.WriteRandom(Path.Combine(tree, "big.bin"), 12 * 5 * MiB); // twelve parts
        await client.PushAsync(run, [tree], RunPath.Parse("outputs"));

        // Each range request of the pull needs a connection of its own while it runs: four at most
        // (TransferOptions.StreamsPerFile), and one for the listing.
        await using var four = new GatewayProxy(gateway.ServiceUrl);
        using (var through = await workspace.ConnectAsync(options, four.Authority))
        {
            var summary = await through.PullAsync(run, RunPath.Parse("outputs"), workspace.MakeDirectory("four"));
            Assert.Equal(FileOutcome.Transferred, Assert.Single(summary.Files).Outcome);
        }

        // The same pull allowed twelve streams opens more: the count above is the limit at work.
        await using var twelve = new GatewayProxy(gateway.ServiceUrl);
        using (var through = await workspace.ConnectAsync(options with { StreamsPerFile = 12 }, twelve.Authority))
        {
            var summary = await through.PullAsync(run, RunPath.Parse("outputs"), workspace.MakeDirectory("twelve"));
            Assert.Equal(FileOutcome.Transferred, Assert.Single(summary.Files).Outcome);
        }

        Assert.InRange(four.Connections, 2, TransferOptions.DefaultStreamsPerFile + 1);
        Assert.True(twelve.Connections > TransferOptions.DefaultStreamsPerFile + 1, $"{twelve.Connections} connections with twelve streams");
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(tree, "big.bin")), await File.ReadAllBytesAsync(Path.Combine(workspace.Root, "four", "big.bin")));
    }

    /// <summary>Uploads <paramref name="file"/> with the AWS SDK in parts of <paramref name="partSize"/>: completed, or all but the last part, left in progress.</summary>
    private async Task UploadInPartsAsync(string key, string file, long partSize, bool completed)
    {
        long size = new FileInfo(file).Length;
        string uploadId = (await gateway.S3.InitiateMultipartUploadAsync(gateway.Bucket, key)).UploadId;
        var etags = new List<PartETag>();
        int count = (int)((size + partSize - 1) / partSize);
        for (int i = 0; i < (completed ? count : count - 1); i++)
        {
            var part = await gateway.S3.UploadPartAsync(new UploadPartRequest
            {
                BucketName = gateway.Bucket,
                Key = key,
                UploadId = uploadId,
                PartNumber = i + 1,
                FilePath = file,
                FilePosition = i * partSize,
                PartSize = Math.Min(partSize, size - (i * partSize)),
            });
            etags.Add(new PartETag(i + 1, part.ETag));
        }

        if (completed)
        {
            await gateway.S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = gateway.Bucket, Key = key, UploadId = uploadId, PartETags = etags });
        }
    }
}
