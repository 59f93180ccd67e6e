using System.Buffers;
using Microsoft.Extensions.Time.Testing;
using Sluice.Core.Artifacts;
using Sluice.IntegrationTests.S3;
using Sluice.Core.Artifacts.Logs;
using Sluice.Core.Artifacts.Runs;

namespace Sluice.IntegrationTests.Artifacts.Logs;

/// <summary>Log chunks on the RADOS Gateway: written only where absent, never twice, never over another writer's.</summary>
[Collection(ArtifactsCollection.Name)]
public sealed class RunLogWriterTests(RadosGatewayFixture gateway)
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Two_writers_on_one_stream_never_overwrite_each_other()
    {
        await using var workspace = new ArtifactsWorkspace(gateway);
        using var client = await workspace.ConnectAsync();
        RunLayout run = client.Run("r");
        RunLogWriter first = client.LogWriter(run, "main", _time), second = client.LogWriter(run, "main", _time);
        await first.OpenAsync(CancellationToken.None);
        await second.OpenAsync(CancellationToken.None); // both see an empty stream: both would start at 1

        first.Append("first 1");
        Assert.Equal("logs/main/00000001.jsonl", (await first.FlushAsync(CancellationToken.None))?.Value);
        second.Append("second 1");
        Assert.Equal("logs/main/00000002.jsonl", (await second.FlushAsync(CancellationToken.None))?.Value);
        first.Append("first 2");
        Assert.Equal("logs/main/00000003.jsonl", (await first.FlushAsync(CancellationToken.None))?.Value);

        Assert.Equal(["first 1", "second 1", "first 2"], await ReadAllAsync(client, run));
    }

    [Fact]
    public async Task A_flush_that_was_stored_though_its_answer_was_lost_is_not_stored_again()
    {
        await using var workspace = new ArtifactsWorkspace(gateway);
        using var client = await workspace.ConnectAsync();
        RunLayout run = client.Run("r");
        RunLogWriter log = client.LogWriter(run, "main", _time);
        await log.OpenAsync(CancellationToken.None);

        // The same flush retried (as the SDK does when an answer is lost): chunk 1 already holds its bytes.
        log.Append("one");
        await StoreAsync(run, 1, "one");
        Assert.Equal("logs/main/00000001.jsonl", (await log.FlushAsync(CancellationToken.None))?.Value);

        // A flush that failed for the caller (here: cancelled) but, as far as the store goes, landed;
        // the next flush carries its lines and the new ones.
        log.Append("two");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => log.FlushAsync(new CancellationToken(canceled: true)));
        await StoreAsync(run, 2, "two");
        log.Append("three");
        Assert.Equal("logs/main/00000003.jsonl", (await log.FlushAsync(CancellationToken.None))?.Value);

        Assert.Equal(["one", "two", "three"], await ReadAllAsync(client, run));
        Assert.Equal(3, (await workspace.ListRunAsync("r")).Count);
    }

    /// <summary>Puts chunk <paramref name="number"/> holding <paramref name="lines"/> exactly as the writer encodes them at the fake time.</summary>
    private async Task StoreAsync(RunLayout run, long number, params string[] lines)
    {
        var body = new ArrayBufferWriter<byte>();
        foreach (string line in lines)
        {
            new LogLine(_time.GetUtcNow(), line).WriteTo(body);
        }

        await gateway.S3.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest
        {
            BucketName = gateway.Bucket,
            Key = run.KeyOf(RunPath.Parse("logs/main/" + LogChunkName.Of(number))),
            InputStream = new MemoryStream(body.WrittenSpan.ToArray()),
        });
    }

    private static async Task<List<string>> ReadAllAsync(ArtifactClient client, RunLayout run)
    {
        var lines = new List<string>();
        await foreach (LogLine line in client.LogReader(run, "main").ReadNewAsync(CancellationToken.None))
        {
            lines.Add(line.Value);
        }

        return lines;
    }
}
