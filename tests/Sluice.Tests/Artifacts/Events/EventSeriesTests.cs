using Sluice.Core.Artifacts.Events;
using Sluice.Core.Artifacts.Plx;
using Sluice.Tests.Artifacts.Plx;

namespace Sluice.Tests.Artifacts.Events;

/// <summary>Event files as traceml's <c>EventWriter</c> writes them: the header once, then "\n" and a row per event.</summary>
public sealed class EventSeriesTests
{
    [Fact]
    public void Files_shaped_as_traceml_writes_them_read_back_row_for_row()
    {
        string file = "step|timestamp|metric\n1|2023-01-01 10:00:00.123456+00:00|0.5\n2|2023-01-01 10:00:01+00:00|1e-05\n|2023-01-01 10:00:02+00:00|nan\n4.0||3\nbad|2023-01-01 10:00:03+00:00|1.0";
        EventSeries series = EventSeries.Read("metric", "loss", file);
        Assert.Equal([1L, 2L, null, 4L], series.Events.Select(e => e.Step));
        Assert.Equal(["0.5", "1e-05", "nan", "3"], series.Events.Select(e => e.Value));
        Assert.Equal(new DateTimeOffset(2023, 1, 1, 10, 0, 0, TimeSpan.Zero).AddTicks(1234560), series.Events[0].Timestamp);
        Assert.Null(series.Events[3].Timestamp);

        // text and html values are written raw by traceml: a '|' in one stays in the value.
        EventSeries text = EventSeries.Read("text", "notes", "step|timestamp|text\n7|2023-01-01 10:00:00+00:00|a | b");
        Assert.Equal("a | b", Assert.Single(text.Events).Value);
    }

    [Fact]
    public async Task Appended_rows_are_what_traceml_writes_for_the_same_events()
    {
        var at = new DateTimeOffset(2026, 12, 4, 1, 2, 3, TimeSpan.Zero).AddTicks(4567891);
        RunEvent[] first = [RunEvent.Metric(0, at, 0.25), RunEvent.Metric(null, at.AddSeconds(1), 1e-7)];
        RunEvent[] second = [RunEvent.Metric(10, at.AddSeconds(2), double.NaN), RunEvent.Metric(11, at.AddSeconds(3), 100)];
        string ours = EventSeries.Append("metric", EventSeries.Append("metric", null, first), second);

        // traceml: _init_events writes the header, each flush appends "\n" + V1Event.to_csv() per event.
        string python = await PythonReference.RunAsync("""
            import sys, datetime
            at = datetime.datetime(2026, 12, 4, 1, 2, 3, 456789, tzinfo=datetime.timezone.utc)
            s = datetime.timedelta(seconds=1)
            def row(step, time, value):
                return "|".join([str(step) if step is not None else "", str(time), str(float(value))])
            text = "|".join(["step", "timestamp", "metric"])
            text += "".join("\n" + row(*e) for e in [(0, at, 0.25), (None, at + s, 1e-7)])
            text += "".join("\n" + row(*e) for e in [(10, at + 2 * s, float("nan")), (11, at + 3 * s, 100)])
            sys.stdout.write(text)
            """, "");

        Assert.Equal(python, ours);
        EventSeries back = EventSeries.Read("metric", "loss", ours);
        Assert.Equal([0L, null, 10L, 11L], back.Events.Select(e => e.Step));
        Assert.Equal([.. first, .. second], back.Events);
        Assert.True(PythonFloat.TryParse(back.Events[2].Value, out double nan) && double.IsNaN(nan));
    }
}
