using System.Buffers;
using System.Text.Json;

namespace Sluice.Core.Artifacts.Logs;

/// <summary>
/// One line of a run's log as it is stored: a JSON object on one line,
/// <c>{"timestamp":"2026-11-23T01:02:03.456Z","value":"the text"}</c> (Polyaxon's field names),
/// so a line with any characters, quotes and escapes included, stays one line.
/// </summary>
public readonly record struct LogLine(DateTimeOffset Timestamp, string Value)
{
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };

    /// <summary>Appends this line's JSON and a '\n' to <paramref name="output"/>.</summary>
    public void WriteTo(IBufferWriter<byte> output)
    {
        using (var json = new Utf8JsonWriter(output, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", Timestamp.UtcDateTime);
            json.WriteString("value", Value);
            json.WriteEndObject();
        }

        output.Write("\n"u8);
    }

    /// <summary>A stored line, or null for one that is not (a chunk written by something else).</summary>
    public static LogLine? Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            DateTimeOffset? timestamp = null;
            string? value = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isTimestamp = reader.ValueTextEquals("timestamp"u8);
                bool isValue = reader.ValueTextEquals("value"u8);
                reader.Read();
                if (isTimestamp && reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out var at))
                {
                    timestamp = at;
                }
                else if (isValue && reader.TokenType == JsonTokenType.String)
                {
                    value = reader.GetString();
                }
                else
                {
                    reader.Skip();
                }
            }

            return value is null ? null : new LogLine(timestamp ?? DateTimeOffset.MinValue, value);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
