using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Sluice.IntegrationTests.Artifacts.Logs;
using Sluice.IntegrationTests.Azure;
using Sluice.IntegrationTests.Http;
using Sluice.IntegrationTests.S3;
using static Sluice.IntegrationTests.Http.HttpTestSupport;

namespace Sluice.IntegrationTests.Artifacts;

/// <summary>
/// A run's log and metrics over HTTP on a real Kestrel listener, written by the real CLI on each
/// store: a training script's output piped into <c>sluice artifacts logs</c>, read at the same time
/// by <c>logs --follow</c> and by a client paging the HTTP cursor; metrics from <c>log-metric</c>.
/// </summary>
public abstract class RunRecordsHttpTests
{
    private const string Run = "run-records";

    protected abstract ArtifactsWorkspace NewWorkspace();

    [Fact]
    public async Task A_training_scripts_output_reads_the_same_in_order_through_follow_and_the_http_cursor()
    {
        await using var workspace = NewWorkspace();
        await using var host = await workspace.StartServerAsync();
        using var writer = workspace.StartWithInput(Run, "logs", "--interval", "0.3", "--container", "main");
        using var follower = workspace.Start(Run, "logs", "--follow", "--interval", "0.3");
        var overHttp = new List<string>();
        using var stopPaging = new CancellationTokenSource();
        Task paging = Task.Run(async () =>
        {
            string cursor = "";
            while (true)
            {
                JsonElement page;
                using (var response = await host.Client.GetAsync(LogsPath() + cursor))
                {
                    page = await ReadJsonAsync(response, HttpStatusCode.OK);
                }

                overHttp.AddRange(page.GetProperty("logs").EnumerateArray().Select(line => line.GetProperty("value").GetString()!));
                cursor = "?last_file=" + Uri.EscapeDataString(page.GetProperty("last_file").GetString() ?? "");
                if (!page.GetProperty("more").GetBoolean())
                {
                    if (stopPaging.IsCancellationRequested)
                    {
                        return;
                    }

                    await Task.Delay(200);
                }
            }
        });

        // python train.py | sluice artifacts logs
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("-u");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("""
            import time
            for step in range(400):
                print(f"epoch {step // 100} step {step} | loss={1 / (step + 1):.6f} \"quoted\" ü")
                if step % 20 == 0:
                    time.sleep(0.1)
            """);
        var printed = new List<string>();
        using (Process python = Process.Start(start)!)
        {
            while (await python.StandardOutput.ReadLineAsync() is { } line)
            {
                printed.Add(line);
                await writer.Input.WriteLineAsync(line);
                await writer.Input.FlushAsync();
            }

            await python.WaitForExitAsync();
            Assert.Equal(0, python.ExitCode);
        }

        writer.Input.Close();
        var written = await writer.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.True(written.ExitCode == 0, written.ToString());
        Assert.Equal(400, printed.Count);

        await LogsCliTests.WaitForAsync(() => Task.FromResult(follower.StandardOutput), text => text.Contains(printed[^1] + "\n", StringComparison.Ordinal));
        follower.Terminate();
        var followed = await follower.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(printed, followed.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        await LogsCliTests.WaitForAsync(() => Task.FromResult(Volatile.Read(ref overHttp).Count), count => count >= printed.Count);
        await stopPaging.CancelAsync();
        await paging;
        Assert.Equal(printed, overHttp);
        Assert.True((await workspace.ListRunAsync(Run)).Count > 1, "the lines came in several chunks, as they were written");
    }

    [Fact]
    public async Task Metrics_written_by_the_cli_read_back_over_http_in_polyaxons_shape()
    {
        await using var workspace = NewWorkspace();
        var one = await workspace.RunAsync(Run, "log-metric", "--step", "1", "loss=0.5", "accuracy=0.75");
        Assert.True(one.ExitCode == 0, one.ToString());
        var two = await workspace.RunAsync(Run, "log-metric", "--step", "2", "loss=1e-05", "train/loss=nan");
        Assert.True(two.ExitCode == 0, two.ToString());
        var bad = await workspace.RunAsync(Run, "log-metric", "loss=high", "../x=1", "--step", "two");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("'loss' must be a number", bad.StandardError);
        Assert.Contains("--step", bad.StandardError);
        Assert.Contains("'../x'", bad.StandardError);

        Assert.StartsWith("step|timestamp|metric\n1|", await workspace.ReadTextAsync(Run, "events/metric/loss.plx"));
        await using var host = await workspace.StartServerAsync();

        JsonElement data = await GetJsonAsync(host, EventsPath("metric") + "?names=loss,accuracy");
        JsonElement[] series = data.GetProperty("data").EnumerateArray().ToArray();
        Assert.Equal(["loss", "accuracy"], series.Select(s => s.GetProperty("name").GetString()));
        JsonElement loss = series[0].GetProperty("data");
        Assert.Equal([1L, 2L], loss.GetProperty("step").EnumerateArray().Select(step => step.GetInt64()));
        Assert.Equal([0.5, 1e-05], loss.GetProperty("metric").EnumerateArray().Select(value => value.GetDouble()));
        Assert.All(loss.GetProperty("timestamp").EnumerateArray(), at => Assert.True(at.TryGetDateTimeOffset(out _)));

        // Without names: every metric of the run; nan is null, as Polyaxon answers it.
        JsonElement all = await GetJsonAsync(host, EventsPath("metric"));
        Assert.Equal(["accuracy", "loss", "train/loss"], all.GetProperty("data").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.Equal(JsonValueKind.Null, all.GetProperty("data")[2].GetProperty("data").GetProperty("metric")[0].ValueKind);

        // What is wrong is named.
        await AssertValidationProblemAsync(await host.Client.GetAsync(EventsPath("metrics")), "kind");
        await AssertValidationProblemAsync(await host.Client.GetAsync(EventsPath("metric") + "?names=../loss"), "names");
        await AssertValidationProblemAsync(await host.Client.GetAsync(LogsPath() + "?last_file=../outputs/x"), "last_file");
        await AssertValidationProblemAsync(await host.Client.GetAsync(LogsPath() + "?last_time=soon"), "last_time");
    }

    [Fact]
    public async Task Reading_logs_and_events_needs_a_token_that_may_read_them()
    {
        await using var workspace = NewWorkspace();
        Assert.Equal(0, (await workspace.RunAsync(Run, "log-metric", "loss=0.5")).ExitCode);
        await using var host = await workspace.StartServerAsync();
        string metricsOnly = await CreateTokenAsync(host.Client, $$"""{"name":"metrics","accounts":["{{ArtifactsWorkspace.StoreName}}"],"prefixes":["{{workspace.Prefix}}/{{Run}}/events/metric/"],"methods":["GET"]}""");
        string wholeRun = await CreateTokenAsync(host.Client, $$"""{"name":"run","accounts":["{{ArtifactsWorkspace.StoreName}}"],"prefixes":["{{workspace.Prefix}}/{{Run}}/"],"methods":["GET"]}""");

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(host, metricsOnly, EventsPath("metric")));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(host, metricsOnly, EventsPath("text")));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(host, metricsOnly, LogsPath()));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(host, wholeRun, LogsPath()));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(host, null, LogsPath()));
    }

    private static string LogsPath() => $"/artifacts/{ArtifactsWorkspace.StoreName}/runs/{Run}/logs";

    private static string EventsPath(string kind) => $"/artifacts/{ArtifactsWorkspace.StoreName}/runs/{Run}/events/{kind}";

    private static async Task<JsonElement> GetJsonAsync(SluiceTestHost host, string path)
    {
        using var response = await host.Client.GetAsync(path);
        return await ReadJsonAsync(response, HttpStatusCode.OK);
    }

    private static Task<HttpStatusCode> StatusAsync(SluiceTestHost host, string? token, string path) =>
        ArtifactsHttpTests.StatusAsync(host, token, HttpMethod.Get, path);

}

[Collection(ArtifactsCollection.Name)]
public sealed class RunRecordsHttpTestsOnRadosGateway(RadosGatewayFixture gateway) : RunRecordsHttpTests
{
    protected override ArtifactsWorkspace NewWorkspace() => new(gateway);
}

[Collection(AzuriteCollection.Name)]
public sealed class RunRecordsHttpTestsOnAzurite(AzuriteFixture azurite) : RunRecordsHttpTests
{
    protected override ArtifactsWorkspace NewWorkspace() => new(azurite);
}
