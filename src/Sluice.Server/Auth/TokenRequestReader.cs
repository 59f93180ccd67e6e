using System.Globalization;
using Sluice.Core.Access;
using Sluice.Core.Accounts;
using Sluice.Core.Addressing;
using Sluice.Core.Signing;
using Sluice.Server.Requests;
using Sluice.Core.Providers;

namespace Sluice.Server.Auth;

/// <summary>
/// Reads a token request: <c>name</c>, <c>admin</c>, the scope lists <c>accounts</c>,
/// <c>buckets</c>, <c>prefixes</c> and <c>methods</c> (a list, or one value), <c>max-expiration</c>
/// and <c>expires-in</c> (seconds). Reports every wrong field at once.
/// </summary>
public static class TokenRequestReader
{
    private static readonly string[] KnownFields = ["name", "admin", "accounts", "buckets", "prefixes", "methods", "max-expiration", "max-upload-bytes", "expires-in"];

    public sealed record TokenRequest(string Name, TokenScope Scope, int? ExpiresInSeconds);

    public static TokenRequest? Read(FieldBody body, out List<FieldError> errors)
    {
        errors = [];
        foreach (string unknown in body.Names.Where(n => !KnownFields.Contains(n)))
        {
            errors.Add(new FieldError(unknown, $"is not a field of a token request (known: {string.Join(", ", KnownFields)})"));
        }

        string? name = Scalar(body, "name", errors);
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100 || name.Any(char.IsControl))
        {
            errors.Add(new FieldError("name", "is required: 1 to 100 printable characters that say who or what the token is for"));
        }

        bool admin = false;
        if (Scalar(body, "admin", errors) is { } adminText && !bool.TryParse(adminText, out admin))
        {
            errors.Add(new FieldError("admin", "must be true or false"));
        }

        var accounts = List(body, "accounts", AccountId.Problem, errors);
        var buckets = List(body, "buckets", BucketName.Problem, errors);
        var prefixes = List(body, "prefixes", ObjectKey.Problem, errors);
        var methodNames = List(body, "methods", m => ObjectMethodNames.TryParse(m, out _) ? null : "must be GET, PUT or DELETE", errors);
        int? maxExpiration = Seconds(body, "max-expiration", PresignRequest.MaxExpiresInSeconds, errors);
        int? expiresIn = Seconds(body, "expires-in", int.MaxValue, errors);
        long? maxUploadBytes = null;
        if (Scalar(body, "max-upload-bytes", errors) is { } sizeText)
        {
            if (long.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out long bytes) && bytes >= 1)
            {
                maxUploadBytes = bytes;
            }
            else
            {
                errors.Add(new FieldError("max-upload-bytes", "must be a whole number of bytes, at least 1"));
            }
        }

        if (admin && (accounts.Count + buckets.Count + prefixes.Count + methodNames.Count > 0 || maxExpiration is not null || maxUploadBytes is not null))
        {
            errors.Add(new FieldError("admin", "an admin token has every right: leave accounts, buckets, prefixes, methods, max-expiration and max-upload-bytes out"));
        }

        if (errors.Count > 0)
        {
            return null;
        }

        var methods = methodNames.Select(m => ObjectMethodNames.TryParse(m, out var method) ? method : default).Distinct().ToList();
        return new TokenRequest(name!.Trim(), new TokenScope(admin, accounts, buckets, prefixes, methods, maxExpiration) { MaxUploadBytes = maxUploadBytes }, expiresIn);
    }

    private static string? Scalar(FieldBody body, string name, List<FieldError> errors)
    {
        if (body.Lists!.ContainsKey(name))
        {
            errors.Add(new FieldError(name, "must be a single value"));
            return null;
        }

        return body.Fields!.TryGetValue(name, out string? value) && !string.IsNullOrEmpty(value) ? value : null;
    }

    private static List<string> List(FieldBody body, string name, Func<string, string?> problem, List<FieldError> errors)
    {
        List<string> values = body.Lists!.TryGetValue(name, out var list) ? [.. list]
            : body.Fields!.TryGetValue(name, out string? one) && !string.IsNullOrEmpty(one) ? [one]
            : [];
        foreach (string value in values)
        {
            if (problem(value) is { } message)
            {
                errors.Add(new FieldError(name, $"'{value}' {message}"));
            }
        }

        return values.Distinct(StringComparer.Ordinal).ToList();
    }

    private static int? Seconds(FieldBody body, string name, int max, List<FieldError> errors)
    {
        if (Scalar(body, name, errors) is not { } text)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int seconds) && seconds >= 1 && seconds <= max)
        {
            return seconds;
        }

        errors.Add(new FieldError(name, $"must be a whole number of seconds from 1 to {max}"));
        return null;
    }
}
