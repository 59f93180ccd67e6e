using Microsoft.Extensions.Time.Testing;
using Sluice.Core.Artifacts;
using Sluice.Core.Artifacts.Logs;
using Sluice.Core.Artifacts.Runs;
using Sluice.IntegrationTests.S3;
using Sluice.Tests.Artifacts.Logs;

namespace Sluice.IntegrationTests.Artifacts.Logs;

/// <summary>Log chunks on the RADOS Gateway: written only where absent, never twice, never over another writer's, names only growing.</summary>
[Collection(ArtifactsCollection.Name)]
public sealed class RunLogWriterTests(RadosGatewayFixture gateway)
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);
    private static readonly LogSource Source = new("node-1", "pod-1", "main");

    [Fact]
    public async Task Two_writers_at_the_same_microsecond_never_overwrite_each_other()
    {
        await using var workspace = new ArtifactsWorkspace(gateway);
        using var client = await workspace.ConnectAsync();
        RunLayout run = client.Run("r");
        RunLogWriter first = client.LogWriter(run, Source, _time), second = client.LogWriter(run, Source with { Container = "sidecar" }, _time);
        await first.OpenAsync(CancellationToken.None);
        await second.OpenAsync(CancellationToken.None); // both see an empty run: both would name their chunk after the same time

        first.Append("first 1");
        Assert.Equal("plxlogs/1795420800.0.plx", (await first.FlushAsync(CancellationToken.None))?.Value); // Python: datetime(2026,11,23,8,tzinfo=utc).timestamp()
        second.Append("second 1");
        Assert.Equal("plxlogs/1795420800.000001.plx", (await second.FlushAsync(CancellationToken.None))?.Value); // taken: its last line moves on a microsecond
        first.Append("first 2");
        Assert.Equal("plxlogs/1795420800.000002.plx", (await first.FlushAsync(CancellationToken.None))?.Value); // after its own last chunk, and the other's

        Assert.Equal(["first 1", "second 1", "first 2"], await ReadAllAsync(client, run));
        Assert.Equal(3, (await workspace.ListRunAsync("r")).Count);
    }

    [Fact]
    public async Task A_flush_that_was_stored_though_its_answer_was_lost_is_not_stored_again()
    {
        await using var workspace = new ArtifactsWorkspace(gateway);
        using var client = await workspace.ConnectAsync();
        RunLayout run = client.Run("r");
        RunLogWriter log = client.LogWriter(run, Source, _time);
        await log.OpenAsync(CancellationToken.None);

        // The same flush retried (as the SDK does when an answer is lost): the chunk already holds its bytes.
        log.Append("one");
        await StoreAsync(run, "one");
        Assert.Equal("plxlogs/1795420800.0.plx", (await log.FlushAsync(CancellationToken.None))?.Value);

        // A flush that failed for the caller (here: cancelled) but, as far as the store goes, landed:
        // the next flush sends that chunk again as it was (recognised), then the new lines.
        _time.Advance(TimeSpan.FromSeconds(1));
        log.Append("two");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => log.FlushAsync(new CancellationToken(canceled: true)));
        Assert.Equal(1, log.BufferedLines);
        await StoreAsync(run, "two");
        _time.Advance(TimeSpan.FromSeconds(1));
        log.Append("three");
        Assert.Equal("plxlogs/1795420802.0.plx", (await log.FlushAsync(CancellationToken.None))?.Value);

        Assert.Equal(["one", "two", "three"], await ReadAllAsync(client, run));
        Assert.Equal(3, (await workspace.ListRunAsync("r")).Count);
    }

    [Fact]
    public async Task A_second_attempt_names_its_chunks_after_the_first_attempts_even_with_a_clock_behind()
    {
        await using var workspace = new ArtifactsWorkspace(gateway);
        using var client = await workspace.ConnectAsync();
        RunLayout run = client.Run("r");
        await workspace.WriteTextAsync("r", "plxlogs/1795420900.5.plx", "timestamp|node|pod|container|value\n\n2026-11-23 08:01:40.500000+00:00||||{\"_\":\"earlier attempt\"}");

        RunLogWriter log = client.LogWriter(run, Source, _time); // its clock says 08:00:00, 100 s before the chunk above
        await log.OpenAsync(CancellationToken.None);
        for (int i = 0; i < 2500; i++)
        {
            log.Append($"line {i}");
        }

        Assert.Equal("plxlogs/1795420900.500002.plx", (await log.FlushAsync(CancellationToken.None))?.Value); // two chunks: 2000 lines, then 500
        var keys = (await workspace.ListRunAsync("r")).Keys.Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["plxlogs/1795420900.5.plx", "plxlogs/1795420900.500001.plx", "plxlogs/1795420900.500002.plx"], keys);
        Assert.Equal(2000, StrictPlxLogReader.Read(System.Text.Encoding.UTF8.GetBytes(await workspace.ReadTextAsync("r", keys[1]))).Count);
        List<string> all = await ReadAllAsync(client, run);
        Assert.Equal(["earlier attempt", .. Enumerable.Range(0, 2500).Select(i => $"line {i}")], all);
    }

    /// <summary>Puts the chunk the writer makes of <paramref name="line"/> at the fake time, as a flush would have.</summary>
    private async Task StoreAsync(RunLayout run, string line)
    {
        DateTimeOffset at = _time.GetUtcNow();
        byte[] chunk = LogChunk.Encode([new LogLine(at, Source.Node, Source.Pod, Source.Container, line)]);
        await gateway.S3.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest
        {
            BucketName = gateway.Bucket,
            Key = run.KeyOf(RunPath.Parse("plxlogs/" + LogChunk.NameOf(at))),
            InputStream = new MemoryStream(chunk),
        });
    }

    private static async Task<List<string>> ReadAllAsync(ArtifactClient client, RunLayout run) =>
        (await LogsCliTests.ReadAllAsync(client.LogReader(run))).Select(line => line.Value).ToList();
}
