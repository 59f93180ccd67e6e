using System.Text;
using Sluice.Core.Artifacts.Logs;
using Sluice.IntegrationTests.Azure;
using Sluice.IntegrationTests.S3;
using Sluice.Tests.Artifacts.Logs;

namespace Sluice.IntegrationTests.Artifacts.Logs;

/// <summary><c>sluice artifacts logs</c> as a real process on each store: appending stdin as Polyaxon's chunks, and following what Polyaxon and Sluice wrote.</summary>
public abstract class LogsCliTests
{
    /// <summary>A fresh workspace on the store under test (see the classes at the end of the file).</summary>
    protected abstract ArtifactsWorkspace NewWorkspace();

    private const string Run = "run-logs";

    [Fact]
    public async Task Stdin_becomes_polyaxon_chunks_with_their_source_and_a_second_writer_appends_after_them()
    {
        await using var workspace = NewWorkspace();
        string[] first = ["epoch 1 | loss=0.5", "quotes \" and \\ backslash\ttab", "ünïcödé ✓ 日本", "", "   indented"];
        using (var writer = workspace.StartWithInput(Run, "logs", "--node", "node-1", "--pod", "trainer-0", "--container", "main"))
        {
            foreach (string line in first)
            {
                await writer.Input.WriteLineAsync(line);
            }

            writer.Input.Close();
            var result = await writer.WaitAsync(TimeSpan.FromMinutes(1));
            Assert.True(result.ExitCode == 0, result.ToString());
        }

        // In a pod: the node from the downward API, the pod's name as its host name.
        var pod = new Dictionary<string, string> { ["NODE_NAME"] = "gke-pool-7", ["KUBERNETES_SERVICE_HOST"] = "10.0.0.1", ["HOSTNAME"] = "trainer-1" };
        using (var second = workspace.StartWithInput(Run, pod, "logs"))
        {
            await second.Input.WriteLineAsync("epoch 2 loss=0.25");
            second.Input.Close();
            var result = await second.WaitAsync(TimeSpan.FromMinutes(1));
            Assert.True(result.ExitCode == 0, result.ToString());
        }

        List<string> keys = (await workspace.ListRunAsync(Run)).Keys.Order(StringComparer.Ordinal).ToList();
        Assert.Equal(2, keys.Count);
        Assert.All(keys, key => Assert.Matches(@"^plxlogs/\d{10}(\.\d{1,6})?\.plx$", key));
        var one = StrictPlxLogReader.Read(Encoding.UTF8.GetBytes(await workspace.ReadTextAsync(Run, keys[0])));
        var two = StrictPlxLogReader.Read(Encoding.UTF8.GetBytes(await workspace.ReadTextAsync(Run, keys[1])));
        Assert.Equal(first, one.Select(row => row.Value));
        Assert.All(one, row => Assert.Equal(("node-1", "trainer-0", "main"), (row.Node, row.Pod, row.Container)));
        Assert.Equal(("gke-pool-7", "trainer-1", ""), (two[0].Node, two[0].Pod, two[0].Container));
        Assert.Equal(["epoch 2 loss=0.25"], two.Select(row => row.Value));

        // Each chunk is named after its last line's time, as Polyaxon names them.
        Assert.Equal(keys[0], "plxlogs/" + LogChunk.NameOf(DateTimeOffset.Parse(one[^1].Timestamp, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task Lines_are_stored_every_interval_while_input_stays_open_and_flushed_on_sigterm()
    {
        await using var workspace = NewWorkspace();
        using var writer = workspace.StartWithInput(Run, "logs", "--container", "worker-0", "--interval", "0.5", "--tee");
        await writer.Input.WriteLineAsync("first line");
        await writer.Input.FlushAsync();

        // The job is still running (stdin open): the line is stored within the interval anyway.
        var one = await WaitForAsync(() => workspace.ListRunAsync(Run), keys => keys.Count == 1);
        Assert.StartsWith("plxlogs/", one.Keys.Single());

        await writer.Input.WriteLineAsync("last line before the pod stops");
        await writer.Input.FlushAsync();
        await Task.Delay(100);
        writer.Terminate();
        var result = await writer.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("first line\nlast line before the pod stops\n", result.StandardOutput); // --tee

        var stored = await workspace.ListRunAsync(Run);
        var rows = new List<StrictPlxLogReader.Row>();
        foreach (string key in stored.Keys.Order(StringComparer.Ordinal))
        {
            rows.AddRange(StrictPlxLogReader.Read(Encoding.UTF8.GetBytes(await workspace.ReadTextAsync(Run, key))));
        }

        Assert.Equal(["first line", "last line before the pod stops"], rows.Select(row => row.Value));
        Assert.All(rows, row => Assert.Equal("worker-0", row.Container));
    }

    [Fact]
    public async Task Follow_prints_what_is_stored_then_what_comes_after()
    {
        await using var workspace = NewWorkspace();
        using (var writer = workspace.StartWithInput(Run, "logs"))
        {
            await writer.Input.WriteLineAsync("before follow");
            writer.Input.Close();
            Assert.Equal(0, (await writer.WaitAsync(TimeSpan.FromMinutes(1))).ExitCode);
        }

        using var follower = workspace.Start(Run, "logs", "--follow", "--interval", "0.3");
        await WaitForAsync(() => Task.FromResult(follower.StandardOutput), text => text.Contains("before follow\n", StringComparison.Ordinal));

        using (var writer = workspace.StartWithInput(Run, "logs"))
        {
            await writer.Input.WriteLineAsync("after follow 1");
            await writer.Input.WriteLineAsync("after follow 2");
            writer.Input.Close();
            Assert.Equal(0, (await writer.WaitAsync(TimeSpan.FromMinutes(1))).ExitCode);
        }

        await WaitForAsync(() => Task.FromResult(follower.StandardOutput), text => text.Contains("after follow 2\n", StringComparison.Ordinal));
        follower.Terminate();
        var result = await follower.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("before follow\nafter follow 1\nafter follow 2\n", result.StandardOutput); // each line once, in order
    }

    [Fact]
    public async Task Follow_reads_runs_that_Polyaxon_and_earlier_Sluice_wrote()
    {
        await using var workspace = NewWorkspace();
        await workspace.WriteTextAsync(Run, "logs/main/00000001.jsonl", "{\"timestamp\":\"2022-12-31T23:59:58Z\",\"value\":\"sluice jsonl\"}\n");
        await workspace.WriteTextAsync(Run, "plxlogs/1672567200.0", """{"logs": [{"timestamp": "2023-01-01T10:00:00+00:00", "node": "n", "pod": "p", "container": "c", "value": "legacy json"}]}""");
        await workspace.WriteTextAsync(Run, "plxlogs/1672567201.0.plx", "timestamp|node|pod|container|value\n\n2023-01-01 10:00:01+00:00|n|p|c|{\"_\":\"plx | chunk\"}");

        using var follower = workspace.Start(Run, "logs", "--follow", "--json", "--interval", "0.3");
        await WaitForAsync(() => Task.FromResult(follower.StandardOutput), text => text.Contains("plx | chunk", StringComparison.Ordinal));
        follower.Terminate();
        var result = await follower.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.True(result.ExitCode == 0, result.ToString());
        string[] printed = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, printed.Length);
        Assert.Equal(["sluice jsonl", "legacy json", "plx | chunk"], printed.Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement.GetProperty("value").GetString()));
        Assert.Equal("c", System.Text.Json.JsonDocument.Parse(printed[2]).RootElement.GetProperty("container").GetString());
    }

    [Fact]
    public async Task Two_writers_at_once_store_every_line_once_and_in_order()
    {
        await using var workspace = NewWorkspace();
        string[] Lines(string who) => Enumerable.Range(0, 300).Select(i => $"{who} line {i}").ToArray();
        using var a = workspace.StartWithInput(Run, "logs", "--container", "a", "--interval", "0.2");
        using var b = workspace.StartWithInput(Run, "logs", "--container", "b", "--interval", "0.2");
        await Task.WhenAll(FeedAsync(a, Lines("a")), FeedAsync(b, Lines("b")));
        Assert.Equal(0, (await a.WaitAsync(TimeSpan.FromMinutes(1))).ExitCode);
        Assert.Equal(0, (await b.WaitAsync(TimeSpan.FromMinutes(1))).ExitCode);

        using var client = await workspace.ConnectAsync();
        List<LogLine> all = await ReadAllAsync(client.LogReader(client.Run(Run)));
        Assert.Equal(Lines("a"), all.Where(line => line.Container == "a").Select(line => line.Value));
        Assert.Equal(Lines("b"), all.Where(line => line.Container == "b").Select(line => line.Value));
        Assert.Equal(600, all.Count);
    }

    [Fact]
    public async Task A_source_name_that_would_break_a_row_is_refused_before_anything_is_sent()
    {
        await using var workspace = NewWorkspace();
        var result = await workspace.RunAsync(Run, "logs", "--container", "main|sidecar");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("container", result.StandardError);
        Assert.Contains("'|'", result.StandardError);
        Assert.Empty(await workspace.ListRunAsync(Run));
    }

    internal static async Task<List<LogLine>> ReadAllAsync(RunLogReader reader)
    {
        var lines = new List<LogLine>();
        LogCursor cursor = LogCursor.Start;
        while (true)
        {
            LogPage page = await reader.ReadAsync(cursor, LogChunk.MaxLines, CancellationToken.None);
            lines.AddRange(page.Lines);
            if (page.Next == cursor)
            {
                return lines;
            }

            cursor = page.Next;
        }
    }

    private static async Task FeedAsync(SluiceChild writer, IEnumerable<string> lines)
    {
        int i = 0;
        foreach (string line in lines)
        {
            await writer.Input.WriteLineAsync(line);
            if (++i % 50 == 0)
            {
                await writer.Input.FlushAsync();
                await Task.Delay(150); // chunks in between, while the other writer stores its own
            }
        }

        writer.Input.Close();
    }

    internal static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            T value = await read();
            if (done(value) || DateTime.UtcNow > until)
            {
                Assert.True(done(value), $"not reached within 30 s: {value}");
                return value;
            }

            await Task.Delay(100);
        }
    }
}

[Collection(ArtifactsCollection.Name)]
public sealed class LogsCliTestsOnRadosGateway(RadosGatewayFixture gateway) : LogsCliTests
{
    protected override ArtifactsWorkspace NewWorkspace() => new(gateway);
}

[Collection(AzuriteCollection.Name)]
public sealed class LogsCliTestsOnAzurite(AzuriteFixture azurite) : LogsCliTests
{
    protected override ArtifactsWorkspace NewWorkspace() => new(azurite);
}
