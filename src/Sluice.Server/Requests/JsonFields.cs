using System.Text.Json;
using Sluice.Server.Problems;

namespace Sluice.Server.Requests;

/// <summary>
/// A JSON body that must be one object of scalar fields; read with a forward-only reader. With
/// <c>allowReferences</c>, a field may also be an object of scalars (a reference such as
/// <c>"account": {"id": …, "resourceType": …}</c>), read as fields named <c>account.id</c>, ….
/// </summary>
internal static class JsonFields
{
    public static FieldBody Parse(string text, bool allowLists = false, bool allowReferences = false)
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

                if (allowReferences && reader.TokenType == JsonTokenType.StartObject)
                {
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                    {
                        string inner = name + "." + reader.GetString();
                        reader.Read();
                        if (Scalar(ref reader, out string? innerValue) is false)
                        {
                            return Invalid(name, "must be a reference of single values, such as {\"id\": \"…\", \"resourceType\": \"…\"}");
                        }

                        if (!fields.TryAdd(inner, innerValue))
                        {
                            return Invalid(inner, "is given twice");
                        }
                    }

                    continue;
                }

                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    return Invalid(name, allowLists ? "must be a single value or an array of strings" : "must be a single value, not an array or an object");
                }

                Scalar(ref reader, out string? value);
                if (!fields.TryAdd(name, value))
                {
                    return Invalid(name, "is given twice");
                }
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

    /// <summary>The scalar the reader is on, as text (null for JSON null); false when it is an object or array.</summary>
    private static bool Scalar(ref Utf8JsonReader reader, out string? value)
    {
        value = reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.True => "true",
            JsonTokenType.False => "false",
            JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
            _ => null,
        };
        return reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray);
    }

    private static FieldBody Invalid(string field, string message) => FieldBody.Failed(ProblemResults.Invalid(field, message));
}
