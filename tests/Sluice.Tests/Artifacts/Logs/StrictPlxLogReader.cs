using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Sluice.Tests.Artifacts.Logs;

/// <summary>
/// A strict reader of the chunk format as traceml and haupt write it, independent of Sluice's
/// reader: the header, the empty line <c>"{header}\n{"\n" + row…}"</c> leaves after it, rows of
/// exactly five '|'-separated fields, a time as Python's <c>str(datetime)</c> of a UTC time, and a
/// value that is a JSON object with the one string member "_". Anything else fails the test.
/// </summary>
internal static partial class StrictPlxLogReader
{
    public const string Header = "timestamp|node|pod|container|value";

    public sealed record Row(string Timestamp, string Node, string Pod, string Container, string Value);

    public static List<Row> Read(byte[] chunk)
    {
        string text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(chunk);
        string[] lines = text.Split('\n');
        Assert.True(lines.Length >= 3, $"a chunk is the header, an empty line and rows: {text}");
        Assert.Equal(Header, lines[0]);
        Assert.Equal("", lines[1]);
        var rows = new List<Row>();
        foreach (string line in lines.Skip(2))
        {
            string[] fields = line.Split('|');
            Assert.True(fields.Length == 5, $"a row has five fields (a '|' in a value must not cut it): {line}");
            Assert.Matches(PythonUtcTime(), fields[0]);
            using JsonDocument value = JsonDocument.Parse(fields[4]);
            Assert.Equal(JsonValueKind.Object, value.RootElement.ValueKind);
            JsonProperty only = Assert.Single(value.RootElement.EnumerateObject());
            Assert.Equal("_", only.Name);
            Assert.Equal(JsonValueKind.String, only.Value.ValueKind);
            rows.Add(new Row(fields[0], fields[1], fields[2], fields[3], only.Value.GetString()!));
        }

        return rows;
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?\+00:00$")]
    private static partial Regex PythonUtcTime();
}
