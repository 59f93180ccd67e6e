using System.Text.Json;

namespace Sluice.Core.Identities;

/// <summary>A validated token's payload, read claim by claim.</summary>
public sealed class ClaimSet(JsonElement payload)
{
    public static ClaimSet Parse(ReadOnlySpan<byte> json)
    {
        using JsonDocument document = JsonDocument.Parse(json.ToArray());
        return new(document.RootElement.Clone());
    }

    /// <summary>
    /// The claim's values as text: a string, a number or a boolean is one value, an array each of
    /// its elements that is one of those; an object, null or a missing claim has none.
    /// </summary>
    public IReadOnlyList<string> Values(ClaimPath path)
    {
        if (!path.TryFind(payload, out JsonElement value))
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            return Text(value) is { } one ? [one] : [];
        }

        var values = new List<string>(value.GetArrayLength());
        foreach (JsonElement element in value.EnumerateArray())
        {
            if (Text(element) is { } text)
            {
                values.Add(text);
            }
        }

        return values;
    }

    /// <summary>The claim as one value, or null when it is missing or not a single value (an array, an object).</summary>
    public string? Single(ClaimPath path) => path.TryFind(payload, out JsonElement value) ? Text(value) : null;

    public bool Has(ClaimPath path) => path.TryFind(payload, out _);

    private static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };
}
