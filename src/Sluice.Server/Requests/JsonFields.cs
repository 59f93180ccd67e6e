using System.Text.Json;
using Sluice.Server.Problems;

namespace Sluice.Server.Requests;

/// <summary>A JSON body that must be one object of scalar fields; read with a forward-only reader.</summary>
internal static class JsonFields
{
    public static FieldBody Parse(string text, bool allowLists = false)
    {
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        var lists = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        try
        {
            var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(text), new JsonReaderOptions { MaxDepth = 4 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return Invalid("body", "must be a JSON object of fields");
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                string name = reader.GetString()!;
                reader.Read();
                if (fields.ContainsKey(name) || lists.ContainsKey(name))
                {
                    return Invalid(name, "is given twice");
                }

                if (allowLists && reader.TokenType == JsonTokenType.StartArray)
                {
                    var items = new List<string>();
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (reader.TokenType != JsonTokenType.String)
                        {
                            return Invalid(name, "must be an array of strings");
                        }

                        items.Add(reader.GetString()!);
                    }

                    lists.Add(name, items);
                    continue;
                }

                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    return Invalid(name, allowLists ? "must be a single value or an array of strings" : "must be a single value, not an array or an object");
                }

                string? value = reader.TokenType switch
                {
                    JsonTokenType.String => reader.GetString(),
                    JsonTokenType.True => "true",
                    JsonTokenType.False => "false",
                    JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
                    _ => null,
                };

                fields.Add(name, value);
            }

            if (reader.Read())
            {
                return Invalid("body", "must hold one JSON object and nothing after it");
            }
        }
        catch (JsonException e)
        {
            return Invalid("body", $"is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})");
        }

        return FieldBody.Of(fields, lists);
    }

    private static FieldBody Invalid(string field, string message) => FieldBody.Failed(ProblemResults.Invalid(field, message));
}
