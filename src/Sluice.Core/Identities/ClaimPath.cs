using System.Text.Json;

namespace Sluice.Core.Identities;

/// <summary>
/// Where a claim is in a token's payload: names joined by dots, resolved greedily, so that a
/// claim whose own name holds dots is found too. <c>kubernetes.io.namespace</c> is the claim
/// <c>kubernetes.io</c>, then its member <c>namespace</c>; <c>https://example.com/groups</c> is one claim.
/// </summary>
public sealed record ClaimPath
{
    private readonly string[] _segments;

    public ClaimPath(string text)
    {
        Text = text;
        _segments = text.Split('.');
    }

    public string Text { get; }

    /// <summary>Null when <paramref name="text"/> can name a claim, else what is wrong with it.</summary>
    public static string? Problem(string text) =>
        text.Length == 0 ? "is empty"
        : text.Length > 200 ? "is longer than 200 characters"
        : text.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '$' or '{' or '}') ? "may not hold spaces, '$', '{' or '}'"
        : text.Split('.').Any(segment => segment.Length == 0) ? "has an empty name between dots"
        : null;

    /// <summary>The value at this path in <paramref name="payload"/>, trying the longest name at each level first.</summary>
    public bool TryFind(JsonElement payload, out JsonElement value) => TryFind(payload, 0, out value);

    public override string ToString() => Text;

    private bool TryFind(JsonElement node, int start, out JsonElement value)
    {
        if (node.ValueKind == JsonValueKind.Object)
        {
            for (int end = _segments.Length; end > start; end--)
            {
                string name = end - start == 1 ? _segments[start] : string.Join('.', _segments, start, end - start);
                if (!node.TryGetProperty(name, out JsonElement child))
                {
                    continue;
                }

                if (end == _segments.Length)
                {
                    value = child;
                    return true;
                }

                if (TryFind(child, end, out value))
                {
                    return true;
                }
            }
        }

        value = default;
        return false;
    }
}
