using Sluice.Core.Artifacts.Logs;
using Sluice.IntegrationTests.S3;

namespace Sluice.IntegrationTests.Artifacts.Logs;

/// <summary>
/// Paging a run's log with Polyaxon's cursor on the RADOS Gateway, as a run Polyaxon manages goes:
/// its sidecar rewrites <c>.tmpplxlogs/&lt;pod&gt;.plx</c> while the run is going, then the run's
/// chunks are uploaded to <c>plxlogs/</c> and the temporary files removed.
/// </summary>
[Collection(ArtifactsCollection.Name)]
public sealed class RunLogReaderTests(RadosGatewayFixture gateway)
{
    private const string Run = "polyaxon-run";
    private const string Header = "timestamp|node|pod|container|value\n";

    [Fact]
    public async Task A_running_runs_temporary_files_then_its_chunks_are_read_without_repeats()
    {
        await using var workspace = new ArtifactsWorkspace(gateway);
        using var client = await workspace.ConnectAsync();
        RunLogReader reader = client.LogReader(client.Run(Run));

        // Nothing yet: an empty page, the cursor unchanged.
        LogPage empty = await reader.ReadAsync(LogCursor.Start, 100, CancellationToken.None);
        Assert.Empty(empty.Lines);
        Assert.Equal(LogCursor.Start, empty.Next);

        // Two pods' temporary files: their lines by time, the cursor at the last time.
        await workspace.WriteTextAsync(Run, ".tmpplxlogs/pod-a.plx", Header + Row("10:00:00.5", "pod-a", "a1") + Row("10:00:02", "pod-a", "a2"));
        await workspace.WriteTextAsync(Run, ".tmpplxlogs/pod-b.plx", Header + Row("10:00:01", "pod-b", "b1"));
        LogPage first = await reader.ReadAsync(LogCursor.Start, 100, CancellationToken.None);
        Assert.Equal(["a1", "b1", "a2"], first.Lines.Select(line => line.Value));
        Assert.Equal(new DateTimeOffset(2023, 1, 1, 10, 0, 2, TimeSpan.Zero), first.Next.LastTime);
        Assert.Null(first.Next.LastFile);

        // The sidecar rewrites a file with what it had and more: only the new line.
        await workspace.WriteTextAsync(Run, ".tmpplxlogs/pod-b.plx", Header + Row("10:00:01", "pod-b", "b1") + Row("10:00:03", "pod-b", "b2"));
        LogPage second = await reader.ReadAsync(first.Next, 100, CancellationToken.None);
        Assert.Equal(["b2"], second.Lines.Select(line => line.Value));

        // The run ends: its chunks are uploaded (lines already shown are not shown again), the temporary files go.
        await workspace.WriteTextAsync(Run, "plxlogs/1672567203.0.plx", Header + Row("10:00:00.5", "pod-a", "a1") + Row("10:00:01", "pod-b", "b1") + Row("10:00:02", "pod-a", "a2") + Row("10:00:03", "pod-b", "b2"));
        await workspace.WriteTextAsync(Run, "plxlogs/1672567204.0.plx", Header + Row("10:00:04", "pod-a", "a3"));
        await gateway.S3.DeleteObjectAsync(gateway.Bucket, $"{workspace.Prefix}/{Run}/.tmpplxlogs/pod-a.plx");
        await gateway.S3.DeleteObjectAsync(gateway.Bucket, $"{workspace.Prefix}/{Run}/.tmpplxlogs/pod-b.plx");

        LogPage third = await reader.ReadAsync(second.Next, 1, CancellationToken.None); // a chunk with nothing new does not end a page
        Assert.Equal(["a3"], third.Lines.Select(line => line.Value));
        Assert.Equal("1672567204.0.plx", third.Next.LastFile);
        Assert.False(third.More);
        LogPage fourth = await reader.ReadAsync(third.Next, 1, CancellationToken.None);
        Assert.Empty(fourth.Lines);
        Assert.Equal(third.Next, fourth.Next);

        // Pages of at least one chunk, whatever the limit; more: true while chunks are waiting.
        LogPage byChunk = await reader.ReadAsync(LogCursor.Start, 1, CancellationToken.None);
        Assert.Equal(["a1", "b1", "a2", "b2"], byChunk.Lines.Select(line => line.Value));
        Assert.True(byChunk.More);

        // A reader starting now reads the chunks, whole.
        Assert.Equal(["a1", "b1", "a2", "b2", "a3"], (await LogsCliTests.ReadAllAsync(reader)).Select(line => line.Value));
    }

    private static string Row(string time, string pod, string value) =>
        $"\n2023-01-01 {time}+00:00|node-1|{pod}|main|{{\"_\":\"{value}\"}}";
}
