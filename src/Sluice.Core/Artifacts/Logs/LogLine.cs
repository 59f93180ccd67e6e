using System.Text;
using System.Text.Json;
using Sluice.Core.Artifacts.Plx;

namespace Sluice.Core.Artifacts.Logs;

/// <summary>
/// One line of a run's log, with where it came from, as a row of Polyaxon's log chunks
/// (traceml's <c>V1Log.to_csv</c>): <c>timestamp|node|pod|container|{"_":"the text"}</c>. The
/// text is a JSON string, so quotes, backslashes and newlines stay inside one row; a '|' in it is
/// written <c>\u007c</c>, which any JSON reader reads back as '|' and which keeps a CSV reader
/// that splits on every '|' (Polyaxon's own, pandas) from cutting the row.
/// </summary>
public readonly record struct LogLine(DateTimeOffset Timestamp, string? Node, string? Pod, string? Container, string Value)
{
    /// <summary>Appends this line as a row (no line break).</summary>
    public void AppendRow(StringBuilder row)
    {
        row.Append(PlxTimestamp.Format(Timestamp)).Append(PlxRow.Separator)
            .Append(Node).Append(PlxRow.Separator)
            .Append(Pod).Append(PlxRow.Separator)
            .Append(Container).Append(PlxRow.Separator)
            .Append("{\"_\":");
        AppendJsonString(row, Value);
        row.Append('}');
    }

    /// <summary>A row of a <c>.plx</c> chunk, or null for one that is not (too few fields, a value that is not <c>{"_": text}</c>).</summary>
    public static LogLine? ParseRow(string row)
    {
        Span<Range> fields = stackalloc Range[5];
        if (!PlxRow.TrySplit(row, fields) || ValueOf(row.AsSpan(fields[4])) is not { } value)
        {
            return null;
        }

        DateTimeOffset timestamp = PlxTimestamp.TryParse(row.AsSpan(fields[0]), out DateTimeOffset at) ? at : DateTimeOffset.MinValue;
        return new LogLine(timestamp, NullIfEmpty(row[fields[1]]), NullIfEmpty(row[fields[2]]), NullIfEmpty(row[fields[3]]), value);
    }

    /// <summary>A line of a JSON chunk (Polyaxon's legacy <c>{"logs": [...]}</c> or Sluice's earlier JSON lines), or null when it has no text.</summary>
    public static LogLine? FromJson(JsonElement line)
    {
        if (line.ValueKind != JsonValueKind.Object || !line.TryGetProperty("value", out JsonElement value) || value.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        DateTimeOffset timestamp = line.TryGetProperty("timestamp", out JsonElement at) && at.ValueKind == JsonValueKind.String && PlxTimestamp.TryParse(at.GetString(), out DateTimeOffset parsed)
            ? parsed
            : DateTimeOffset.MinValue;
        return new LogLine(timestamp, Text(line, "node"), Text(line, "pod"), Text(line, "container"), value.GetString()!);
    }

    private static string? Text(JsonElement line, string name) =>
        line.TryGetProperty(name, out JsonElement field) && field.ValueKind == JsonValueKind.String ? NullIfEmpty(field.GetString()) : null;

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    /// <summary>The text of <c>{"_": "…"}</c>, or null.</summary>
    private static string? ValueOf(ReadOnlySpan<char> json)
    {
        try
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json.ToArray()));
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            string? value = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isValue = reader.ValueTextEquals("_"u8);
                reader.Read();
                if (isValue && reader.TokenType == JsonTokenType.String)
                {
                    value = reader.GetString();
                }
                else
                {
                    reader.Skip();
                }
            }

            return reader.TokenType == JsonTokenType.EndObject ? value : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A JSON string as orjson writes one (other characters as they are, UTF-8), and '|' escaped.</summary>
    private static void AppendJsonString(StringBuilder json, string text)
    {
        json.Append('"');
        for (int i = 0; i < text.Length; i++)
        {
            char ch = text[i];
            switch (ch)
            {
                case '"': json.Append("\\\""); break;
                case '\\': json.Append("\\\\"); break;
                case '\n': json.Append("\\n"); break;
                case '\r': json.Append("\\r"); break;
                case '\t': json.Append("\\t"); break;
                case '\b': json.Append("\\b"); break;
                case '\f': json.Append("\\f"); break;
                case PlxRow.Separator: json.Append("\\u007c"); break;
                case < ' ': json.Append("\\u00").Append(((int)ch).ToString("x2", System.Globalization.CultureInfo.InvariantCulture)); break;
                default:
                    if (char.IsHighSurrogate(ch) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                    {
                        json.Append(ch).Append(text[++i]);
                    }
                    else
                    {
                        json.Append(char.IsSurrogate(ch) ? '\uFFFD' : ch); // an unpaired half cannot be UTF-8
                    }

                    break;
            }
        }

        json.Append('"');
    }
}
