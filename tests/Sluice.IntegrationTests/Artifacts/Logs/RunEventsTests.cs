using Sluice.Core.Artifacts.Events;
using Sluice.IntegrationTests.Azure;
using Sluice.IntegrationTests.S3;

namespace Sluice.IntegrationTests.Artifacts.Logs;

/// <summary>Event files on each store: rows added by read-modify-write only over the version read, so writers at once lose none.</summary>
public abstract class RunEventsTests
{
    protected abstract ArtifactsWorkspace NewWorkspace();

    [Fact]
    public async Task Writers_adding_to_one_metric_at_once_lose_no_row()
    {
        await using var workspace = NewWorkspace();
        using var client = await workspace.ConnectAsync();
        RunEvents events = client.Events(client.Run("r"));
        var start = new DateTimeOffset(2026, 12, 4, 1, 0, 0, TimeSpan.Zero);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(writer => Task.Run(async () =>
        {
            for (int i = 0; i < 8; i++)
            {
                int step = writer * 100 + i;
                await events.AppendAsync(EventKinds.Metric, "train/loss", [RunEvent.Metric(step, start.AddSeconds(step), 1.0 / (step + 1))], CancellationToken.None);
            }
        })));

        EventSeries series = (await events.ReadAsync(EventKinds.Metric, "train/loss", CancellationToken.None))!;
        Assert.Equal(
            Enumerable.Range(0, 4).SelectMany(writer => Enumerable.Range(0, 8).Select(i => (long)(writer * 100 + i))).Order(),
            series.Events.Select(e => e.Step!.Value).Order());
        Assert.StartsWith("step|timestamp|metric\n", await workspace.ReadTextAsync("r", "events/metric/train/loss.plx"));
        Assert.Equal(["train/loss"], await events.NamesAsync(EventKinds.Metric, CancellationToken.None));
        Assert.Null(await events.ReadAsync(EventKinds.Metric, "nothing", CancellationToken.None));
    }
}

[Collection(ArtifactsCollection.Name)]
public sealed class RunEventsTestsOnRadosGateway(RadosGatewayFixture gateway) : RunEventsTests
{
    protected override ArtifactsWorkspace NewWorkspace() => new(gateway);
}

[Collection(AzuriteCollection.Name)]
public sealed class RunEventsTestsOnAzurite(AzuriteFixture azurite) : RunEventsTests
{
    protected override ArtifactsWorkspace NewWorkspace() => new(azurite);
}
