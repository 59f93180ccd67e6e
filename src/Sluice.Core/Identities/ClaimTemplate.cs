using System.Text;

namespace Sluice.Core.Identities;

/// <summary>
/// A scope value that may name claims, as <c>runs/${sub}/</c>: each <c>${path}</c> is replaced by
/// that claim of the token. A claim is substituted only when it is one value of 1 to 128
/// characters from <c>A-Z a-z 0-9 . _ ~ : @ + = -</c>, and not <c>.</c> or <c>..</c>: never a
/// <c>/</c>, so that one identity's prefix can never hold another's (<c>runs/a/</c> would hold
/// the subject <c>a/b</c>'s <c>runs/a/b/</c>), and never an empty value (<c>runs//</c>).
/// </summary>
public sealed class ClaimTemplate
{
    public const int MaxValueLength = 128;

    private readonly object[] _parts; // string (literal) or ClaimPath

    private ClaimTemplate(string text, object[] parts)
    {
        Text = text;
        _parts = parts;
    }

    public string Text { get; }

    public IEnumerable<ClaimPath> Claims => _parts.OfType<ClaimPath>();

    /// <summary>Reads <paramref name="text"/>; null with <paramref name="problem"/> when a <c>${</c> is not closed or names no claim.</summary>
    public static ClaimTemplate? Parse(string text, out string? problem)
    {
        var parts = new List<object>();
        int at = 0;
        while (at < text.Length)
        {
            int open = text.IndexOf("${", at, StringComparison.Ordinal);
            if (open < 0)
            {
                parts.Add(text[at..]);
                break;
            }

            if (open > at)
            {
                parts.Add(text[at..open]);
            }

            int close = text.IndexOf('}', open + 2);
            if (close < 0)
            {
                problem = $"'{text}' opens '${{' without closing it with '}}'";
                return null;
            }

            string path = text[(open + 2)..close];
            if (ClaimPath.Problem(path) is { } pathProblem)
            {
                problem = $"'{text}': the claim name '{path}' {pathProblem}";
                return null;
            }

            parts.Add(new ClaimPath(path));
            at = close + 1;
        }

        problem = null;
        return new ClaimTemplate(text, [.. parts]);
    }

    /// <summary>The template with <paramref name="stand"/> for every claim: what it looks like once filled, for checking at start.</summary>
    public string Sample(string stand) => string.Concat(_parts.Select(part => part as string ?? stand));

    /// <summary>The value for <paramref name="claims"/>, or null with why a claim could not be put in.</summary>
    public string? Fill(ClaimSet claims, out string? why)
    {
        if (_parts is [string literal])
        {
            why = null;
            return literal;
        }

        var filled = new StringBuilder(Text.Length + 32);
        foreach (object part in _parts)
        {
            if (part is string text)
            {
                filled.Append(text);
                continue;
            }

            var path = (ClaimPath)part;
            string? value = claims.Single(path);
            if (value is null)
            {
                why = claims.Has(path) ? $"claim '{path}' is not a single value, so it cannot be put in '{Text}'" : $"claim '{path}' is missing, and '{Text}' needs it";
                return null;
            }

            if (!IsSafe(value))
            {
                why = $"claim '{path}' cannot be put in '{Text}': a substituted value must be 1 to {MaxValueLength} characters of A-Z a-z 0-9 . _ ~ : @ + = - (no '/'), and not '.' or '..'";
                return null;
            }

            filled.Append(value);
        }

        why = null;
        return filled.ToString();
    }

    public override string ToString() => Text;

    private static bool IsSafe(string value) =>
        value.Length is > 0 and <= MaxValueLength
        && value is not ("." or "..")
        && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '~' or ':' or '@' or '+' or '=' or '-');
}
