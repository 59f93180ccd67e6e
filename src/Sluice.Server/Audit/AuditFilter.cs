using System.Globalization;
using Sluice.Core.Accounts;

namespace Sluice.Server.Audit;

/// <summary>
/// Which records a query wants; every field given must match (<see cref="Identity"/>: a token's
/// id or name, or a JWT's issuer or subject; <see cref="Prefix"/>: the key starts with it).
/// </summary>
public sealed record AuditFilter(
    DateTimeOffset? Since = null,
    DateTimeOffset? Until = null,
    string? Identity = null,
    string? Account = null,
    string? Bucket = null,
    string? Prefix = null,
    string? Method = null,
    string? Outcome = null,
    string? Action = null)
{
    private static readonly string[] Outcomes = ["allowed", "refused", "failed"];
    private static readonly string[] Methods = ["GET", "PUT", "DELETE"];

    /// <summary>The filter the query string names; every problem with it in <paramref name="errors"/>.</summary>
    public static AuditFilter Read(IQueryCollection query, List<FieldError> errors) => new(
        Time(query, "since", errors),
        Time(query, "until", errors),
        Text(query, "identity", errors),
        Text(query, "account", errors),
        Text(query, "bucket", errors),
        Text(query, "prefix", errors),
        OneOf(query, "method", Methods, errors, upper: true),
        OneOf(query, "outcome", Outcomes, errors),
        Text(query, "action", errors));

    private static string? Single(IQueryCollection query, string name, List<FieldError> errors)
    {
        var values = query[name];
        if (values.Count > 1)
        {
            errors.Add(new FieldError(name, "must be given once"));
            return null;
        }

        return values.Count == 1 && values[0] is { Length: > 0 } value ? value : null;
    }

    private static string? Text(IQueryCollection query, string name, List<FieldError> errors)
    {
        string? value = Single(query, name, errors);
        if (value is { Length: > 1024 })
        {
            errors.Add(new FieldError(name, "must be at most 1,024 characters"));
            return null;
        }

        return value;
    }

    private static DateTimeOffset? Time(IQueryCollection query, string name, List<FieldError> errors)
    {
        if (Single(query, name, errors) is not { } value)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset time))
        {
            return time;
        }

        errors.Add(new FieldError(name, "must be a time in ISO 8601, e.g. 2026-12-03T09:00:00Z"));
        return null;
    }

    private static string? OneOf(IQueryCollection query, string name, string[] allowed, List<FieldError> errors, bool upper = false)
    {
        if (Single(query, name, errors) is not { } value)
        {
            return null;
        }

        string normal = upper ? value.ToUpperInvariant() : value;
        if (allowed.Contains(normal, StringComparer.Ordinal))
        {
            return normal;
        }

        errors.Add(new FieldError(name, $"must be one of {string.Join(", ", allowed)}"));
        return null;
    }
}
