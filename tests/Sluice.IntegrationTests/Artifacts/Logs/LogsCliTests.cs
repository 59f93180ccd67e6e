using System.Text.Json;
using Sluice.IntegrationTests.Azure;
using Sluice.IntegrationTests.S3;

namespace Sluice.IntegrationTests.Artifacts.Logs;

/// <summary><c>sluice artifacts logs</c> as a real process on the RADOS Gateway: appending from stdin in JSON-lines chunks, and following.</summary>
public abstract class LogsCliTests
{
    /// <summary>A fresh workspace on the store under test (see the classes at the end of the file).</summary>
    protected abstract ArtifactsWorkspace NewWorkspace();

    private const string Run = "run-logs";

    [Fact]
    public async Task Stdin_becomes_numbered_json_lines_chunks_and_a_second_writer_continues_the_numbering()
    {
        await using var workspace = NewWorkspace();
        string[] first = ["epoch 1 loss=0.5", "quotes \" and \\ backslash\ttab", "ünïcödé ✓ 日本", ""];
        using (var writer = workspace.StartWithInput(Run, "logs"))
        {
            foreach (string line in first)
            {
                await writer.Input.WriteLineAsync(line);
            }

            writer.Input.Close();
            var result = await writer.WaitAsync(TimeSpan.FromMinutes(1));
            Assert.True(result.ExitCode == 0, result.ToString());
        }

        using (var second = workspace.StartWithInput(Run, "logs"))
        {
            await second.Input.WriteLineAsync("epoch 2 loss=0.25");
            second.Input.Close();
            var result = await second.WaitAsync(TimeSpan.FromMinutes(1));
            Assert.True(result.ExitCode == 0, result.ToString());
        }

        var stored = await workspace.ListRunAsync(Run);
        Assert.Equal(["logs/main/00000001.jsonl", "logs/main/00000002.jsonl"], stored.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(first, Values(await workspace.ReadTextAsync(Run, "logs/main/00000001.jsonl")));
        Assert.Equal(["epoch 2 loss=0.25"], Values(await workspace.ReadTextAsync(Run, "logs/main/00000002.jsonl")));
    }

    [Fact]
    public async Task Lines_are_stored_every_interval_while_input_stays_open_and_flushed_on_sigterm()
    {
        await using var workspace = NewWorkspace();
        using var writer = workspace.StartWithInput(Run, "logs", "--stream", "worker-0", "--interval", "0.5", "--tee");
        await writer.Input.WriteLineAsync("first line");
        await writer.Input.FlushAsync();

        // The job is still running (stdin open): the line is stored within the interval anyway.
        var one = await WaitForAsync(() => workspace.ListRunAsync(Run), keys => keys.Count == 1);
        Assert.Equal("logs/worker-0/00000001.jsonl", one.Keys.Single());

        await writer.Input.WriteLineAsync("last line before the pod stops");
        await writer.Input.FlushAsync();
        await Task.Delay(100);
        writer.Terminate();
        var result = await writer.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("first line\nlast line before the pod stops\n", result.StandardOutput); // --tee

        var stored = await workspace.ListRunAsync(Run);
        string all = string.Concat(await Task.WhenAll(stored.Keys.Order(StringComparer.Ordinal).Select(key => workspace.ReadTextAsync(Run, key))));
        Assert.Equal(["first line", "last line before the pod stops"], Values(all));
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
    public async Task A_stream_name_that_leaves_logs_is_refused_before_anything_is_sent()
    {
        await using var workspace = NewWorkspace();
        var result = await workspace.RunAsync(Run, "logs", "--stream", "../outputs");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--stream", result.StandardError);
        Assert.Empty(await workspace.ListRunAsync(Run));
    }

    private static List<string> Values(string jsonLines) =>
        jsonLines.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            using var json = JsonDocument.Parse(line);
            Assert.True(json.RootElement.GetProperty("timestamp").TryGetDateTimeOffset(out _));
            return json.RootElement.GetProperty("value").GetString()!;
        }).ToList();

    private static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done)
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
