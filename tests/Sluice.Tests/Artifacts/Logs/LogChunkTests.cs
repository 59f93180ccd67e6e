using System.Globalization;
using System.Text;
using System.Text.Json;
using CsCheck;
using Sluice.Core.Artifacts.Logs;
using Sluice.Core.Artifacts.Plx;
using Sluice.Tests.Artifacts.Plx;

namespace Sluice.Tests.Artifacts.Logs;

/// <summary>
/// Log chunks both ways: what Sluice writes passes a strict reader of traceml's format and is
/// byte for byte what Python writes for the same lines; chunks shaped as Polyaxon writes them
/// (and its legacy JSON, and Sluice's earlier JSON lines) read back line for line; and the CSV's
/// edge cases ('|', newlines, quotes, any Unicode) survive the round trip for generated lines.
/// </summary>
public sealed class LogChunkTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 4, 0, 32, 29, TimeSpan.Zero);

    private static readonly string[] Awkward =
    [
        "epoch 1 loss=0.5",
        "a | pipe, and || two",
        "quotes \" and \\ backslash\ttab",
        "multi\nline\r\nvalue",
        "ünïcödé ✓ 日本 😀",
        "{\"_\": \"json inside\"}",
        "   indented traceback line",
        "\u0001control\u001f",
        "",
        "ends with a pipe |",
    ];

    [Fact]
    public void Chunks_pass_a_strict_reader_of_the_format_and_keep_every_line()
    {
        var lines = Awkward.Select((text, i) => new LogLine(At.AddTicks(i * 1234567), "node-1", "pod-a", "main", text)).ToList();
        byte[] chunk = LogChunk.Encode(lines);

        List<StrictPlxLogReader.Row> rows = StrictPlxLogReader.Read(chunk);
        Assert.Equal(Awkward, rows.Select(row => row.Value));
        Assert.All(rows, row => Assert.Equal(("node-1", "pod-a", "main"), (row.Node, row.Pod, row.Container)));
        Assert.Equal(lines.Select(line => PlxTimestamp.Format(line.Timestamp)), rows.Select(row => row.Timestamp));

        List<LogLine> back = LogChunk.Read(LogChunk.NameOf(lines[^1].Timestamp), chunk);
        Assert.Equal(lines.Select(line => line with { Timestamp = PlxTimestamp.ToMicroseconds(line.Timestamp) }), back);
    }

    [Fact]
    public async Task Chunks_are_byte_for_byte_what_Python_writes_for_the_same_lines()
    {
        string[] values = [.. Awkward.Where(value => !value.Contains('|')), "plain", "😀 and é", "\u007f del", "\u2028 line separator"];
        var lines = values.Select((text, i) => new LogLine(At.AddTicks(i * 7_000_001L), i % 2 == 0 ? "node-1" : null, "pod-a", null, text)).ToList();
        string input = JsonSerializer.Serialize(lines.Select(line => new object?[]
        {
            (PlxTimestamp.ToMicroseconds(line.Timestamp).UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10, line.Node, line.Pod, line.Container, line.Value,
        }));

        // traceml: V1Log.to_csv (orjson, compact, UTF-8 as is) joined as haupt's upload_logs does.
        string python = await PythonReference.RunAsync("""
            import sys, json, datetime
            epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
            rows = []
            for micros, node, pod, container, value in json.load(sys.stdin):
                at = epoch + datetime.timedelta(microseconds=micros)
                fields = [str(at), node or "", pod or "", container or "", json.dumps({"_": value}, ensure_ascii=False, separators=(",", ":"))]
                rows.append("\n" + "|".join(fields))
            sys.stdout.write("{}\n{}".format("timestamp|node|pod|container|value", "".join(rows)))
            sys.stdout.write("\x00" + str(at.timestamp()) + ".plx")
            """, input);

        string[] parts = python.Split('\0');
        Assert.Equal(parts[0], Encoding.UTF8.GetString(LogChunk.Encode(lines)));
        Assert.Equal(parts[1], LogChunk.NameOf(lines[^1].Timestamp));
    }

    [Fact]
    public void Chunks_shaped_as_Polyaxon_writes_them_read_back_line_for_line()
    {
        // As traceml writes them: orjson leaves '|' and non-ASCII as they are; the empty line after
        // the header; a time without a fraction; empty node and container; a JSON value with spaces.
        string chunk = string.Join("\n",
            "timestamp|node|pod|container|value",
            "",
            "2023-01-01 10:00:00.123456+00:00|gke-node-1|run-abc-main|polyaxon-main|{\"_\":\"Epoch 1/10 | loss: 0.52\"}",
            "2023-01-01 10:00:01+00:00||run-abc-main||{\"_\":\"He said \\\"hi\\\"\\nand left\"}",
            "",
            "2023-01-01 10:00:02.5+00:00|gke-node-1|run-abc-main|polyaxon-main|{\"_\": \"日本語 ✓ 😀\"}",
            "2023-01-01 10:00:03.000001+00:00|gke-node-1|run-abc-main|polyaxon-main|{\"_\":\"trailing pipe|\"}");

        List<LogLine> lines = LogChunk.Read("1672567203.000001.plx", Encoding.UTF8.GetBytes(chunk));

        Assert.Equal(["Epoch 1/10 | loss: 0.52", "He said \"hi\"\nand left", "日本語 ✓ 😀", "trailing pipe|"], lines.Select(line => line.Value));
        Assert.Equal(new DateTimeOffset(2023, 1, 1, 10, 0, 0, TimeSpan.Zero).AddTicks(1234560), lines[0].Timestamp);
        Assert.Equal(new DateTimeOffset(2023, 1, 1, 10, 0, 2, 500, TimeSpan.Zero), lines[2].Timestamp);
        Assert.Equal(("gke-node-1", "run-abc-main", "polyaxon-main"), (lines[0].Node, lines[0].Pod, lines[0].Container));
        Assert.Equal((null, "run-abc-main", null), (lines[1].Node, lines[1].Pod, lines[1].Container));
    }

    [Fact]
    public void Legacy_json_chunks_and_Sluices_earlier_json_lines_read_back()
    {
        string legacy = """
            {"logs": [
              {"timestamp": "2022-05-01T08:00:00.250000+00:00", "node": "n1", "pod": "p1", "container": "c1", "value": "legacy | one"},
              {"timestamp": "2022-05-01 08:00:01+00:00", "value": "legacy two"},
              {"timestamp": "2022-05-01 08:00:02+00:00", "value": null}
            ]}
            """;
        List<LogLine> old = LogChunk.Read("1651392001.0", Encoding.UTF8.GetBytes(legacy));
        Assert.Equal(["legacy | one", "legacy two"], old.Select(line => line.Value));
        Assert.Equal(new DateTimeOffset(2022, 5, 1, 8, 0, 0, 250, TimeSpan.Zero), old[0].Timestamp);
        Assert.Equal(("n1", "p1", "c1"), (old[0].Node, old[0].Pod, old[0].Container));

        string jsonLines = "{\"timestamp\":\"2026-11-23T01:02:03.456Z\",\"value\":\"first\"}\n{\"timestamp\":\"2026-11-23T01:02:04Z\",\"value\":\"\"}\nnot json\n";
        List<LogLine> sluice = LogChunk.Read("00000001.jsonl", Encoding.UTF8.GetBytes(jsonLines));
        Assert.Equal(["first", ""], sluice.Select(line => line.Value));
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 1, 2, 3, 456, TimeSpan.Zero), sluice[0].Timestamp);
    }

    [Fact]
    public void Rows_that_are_not_rows_are_left_out_not_guessed()
    {
        string chunk = "timestamp|node|pod|container|value\n\n2023-01-01 10:00:00+00:00|only|three\n2023-01-01 10:00:00+00:00|||c|not json\n2023-01-01 10:00:00+00:00||||{\"_\":\"kept\"}";
        Assert.Equal(["kept"], LogChunk.Read("1.plx", Encoding.UTF8.GetBytes(chunk)).Select(line => line.Value));
    }

    private static readonly Gen<string> Piece = Gen.Frequency(
        (8, Gen.Char['a', 'z'].Select(c => c.ToString())),
        (6, Gen.OneOf("|", "||", "\n", "\r\n", "\"", "\\", "\\u007c", "\t", " ", "{", "}", "\"_\":", ",")),
        (3, Gen.OneOf("é", "日本", "😀", "\u2028", "\u007f", "\u0000", "\u001b[31m")),
        (1, Gen.Char['\u0020', '\uD7FF'].Select(c => c.ToString())));

    private static readonly Gen<string> Name = Gen.Frequency(
        (1, Gen.Const((string)null!)),
        (3, Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789-."].Array[1, 30].Select(a => new string(a))));

    private static readonly Gen<LogLine> Line = Gen.Select(
        Gen.Long[0, 7_258_118_400_000_000L].Select(micros => DateTimeOffset.UnixEpoch.AddTicks(micros * 10 + micros % 10)),
        Name, Name, Name,
        Piece.Array[0, 40].Select(string.Concat),
        (at, node, pod, container, value) => new LogLine(at, node, pod, container, value));

    [Fact]
    public void Any_line_survives_the_round_trip_through_a_chunk()
    {
        Line.List[1, 30].Sample(lines =>
        {
            byte[] chunk = LogChunk.Encode(lines);
            List<StrictPlxLogReader.Row> strict = StrictPlxLogReader.Read(chunk);
            List<LogLine> back = LogChunk.Read(LogChunk.NameOf(lines[^1].Timestamp), chunk);
            Assert.Equal(lines.Select(line => line.Value), strict.Select(row => row.Value));
            Assert.Equal(lines.Select(line => line with { Timestamp = PlxTimestamp.ToMicroseconds(line.Timestamp) }), back);
        }, iter: 2000);
    }

    [Theory]
    [InlineData(null, null, true)]
    [InlineData("1796344349.123456.plx", null, true)]
    [InlineData("1672567203.0", null, true)]
    [InlineData("logs/main/00000003.jsonl", null, true)]
    [InlineData(null, "2026-12-04T00:32:29.123456+00:00", true)]
    [InlineData(null, "2026-12-04 00:32:29+00:00", true)]
    [InlineData("../outputs/x.plx", null, false)]
    [InlineData("plxlogs/1.plx", null, false)]
    [InlineData("logs/main/notachunk.txt", null, false)]
    [InlineData(null, "yesterday", false)]
    public void Cursors_from_clients_are_checked(string? lastFile, string? lastTime, bool valid)
    {
        LogCursor? cursor = LogCursor.Parse(lastFile, lastTime, out var problem);
        Assert.Equal(valid, cursor is not null);
        Assert.Equal(valid, problem is null);
        if (!valid)
        {
            Assert.Equal(lastFile is not null ? "last_file" : "last_time", problem!.Value.Parameter);
        }
    }

    [Fact]
    public void Sources_come_from_options_then_the_downward_api_environment()
    {
        var environment = new Dictionary<string, string> { ["NODE_NAME"] = "node-7", ["HOSTNAME"] = "trainer-0", ["KUBERNETES_SERVICE_HOST"] = "10.0.0.1", ["CONTAINER_NAME"] = "something else" };
        Assert.Equal(new LogSource("node-7", "trainer-0", null), LogSource.From(null, null, null, name => environment.GetValueOrDefault(name)));
        Assert.Equal(new LogSource("gke-1", "run-0", null), LogSource.From(null, null, null, name => name switch { "POLYAXON_K8S_NODE_NAME" => "gke-1", "NODE_NAME" => "other", "POD_NAME" => "run-0", _ => null }));
        Assert.Equal(new LogSource("n", "p", "c"), LogSource.From("n", "p", "c", name => environment.GetValueOrDefault(name)));
        Assert.Equal(new LogSource(null, null, null), LogSource.From(null, null, null, name => name == "HOSTNAME" ? "laptop" : null)); // HOSTNAME is a pod's name only in a pod
        Assert.Contains("'|'", new LogSource("a|b", null, null).Problem());
        Assert.Null(new LogSource("a", "b", "c").Problem());
    }
}
