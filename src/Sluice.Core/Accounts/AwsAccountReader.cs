using System.Text.RegularExpressions;
using Sluice.Core.Addressing;

namespace Sluice.Core.Accounts;

/// <summary>
/// Builds an <see cref="AwsAccount"/> from the fields of a request body (YAML or JSON, already
/// flattened to scalars), checking each field and reporting every problem at once.
/// </summary>
public static partial class AwsAccountReader
{
    public const string RegionField = "region";
    public const string AccessKeyIdField = "access-key-id";
    public const string SecretAccessKeyField = "secret-access-key";
    public const string SessionTokenField = "session-token";
    public const string HostField = "host";
    public const string PathStyleField = "path-style";
    public const string UseSslField = "use-ssl";

    private static readonly HashSet<string> KnownFields =
    [
        "id", "resourceType", RegionField, AccessKeyIdField, SecretAccessKeyField, SessionTokenField, HostField, PathStyleField, UseSslField,
    ];

    public static AwsAccount? Read(string id, IReadOnlyDictionary<string, string?> fields, out IReadOnlyList<FieldError> errors)
    {
        var problems = new List<FieldError>();
        errors = problems;

        if (AccountId.Problem(id) is { } idProblem)
        {
            problems.Add(new FieldError("id", idProblem));
        }

        foreach (string name in fields.Keys)
        {
            if (!KnownFields.Contains(name))
            {
                problems.Add(new FieldError(name, $"is not a field of AwsAccount (known: {string.Join(", ", KnownFields.Where(f => f is not "id" and not "resourceType"))})"));
            }
        }

        if (Optional(fields, "id") is { } bodyId && bodyId != id)
        {
            problems.Add(new FieldError("id", $"'{bodyId}' in the body differs from '{id}' in the URL"));
        }

        if (Optional(fields, "resourceType") is { } type && type != "AwsAccount")
        {
            problems.Add(new FieldError("resourceType", "must be AwsAccount when given"));
        }

        string? region = Optional(fields, RegionField);
        if (region is null)
        {
            problems.Add(new FieldError(RegionField, "is required (for example us-east-1)"));
        }
        else if (!RegionPattern().IsMatch(region))
        {
            problems.Add(new FieldError(RegionField, "must be a region name of lower-case letters, digits and '-' (for example us-east-1)"));
        }

        string? accessKeyId = Credential(fields, AccessKeyIdField, 256, problems);
        string? secret = Credential(fields, SecretAccessKeyField, 256, problems);
        string? token = Credential(fields, SessionTokenField, 8192, problems);
        if (accessKeyId is not null && secret is null)
        {
            problems.Add(new FieldError(SecretAccessKeyField, "is required with access-key-id"));
        }

        if (accessKeyId is null && (secret is not null || token is not null))
        {
            string field = secret is not null ? SecretAccessKeyField : SessionTokenField;
            problems.Add(new FieldError(field, "needs access-key-id; leave all three out to use the default credential chain"));
        }

        EndpointHost? host = null;
        if (Optional(fields, HostField) is { } hostText)
        {
            if (EndpointHost.TryParse(hostText, out var parsed, out string? hostProblem))
            {
                host = parsed;
            }
            else
            {
                problems.Add(new FieldError(HostField, hostProblem!));
            }
        }

        bool pathStyle = Boolean(fields, PathStyleField, false, problems);
        bool useSsl = Boolean(fields, UseSslField, true, problems);

        return problems.Count == 0 ? new AwsAccount(id, region!, accessKeyId, secret, token, host, pathStyle, useSsl) : null;
    }

    private static string? Optional(IReadOnlyDictionary<string, string?> fields, string name) =>
        fields.TryGetValue(name, out string? value) && !string.IsNullOrEmpty(value) ? value : null;

    private static string? Credential(IReadOnlyDictionary<string, string?> fields, string name, int maxLength, List<FieldError> problems)
    {
        string? value = Optional(fields, name);
        if (value is null)
        {
            return null;
        }

        if (value.Length > maxLength)
        {
            problems.Add(new FieldError(name, $"must be at most {maxLength} characters"));
            return null;
        }

        foreach (char ch in value)
        {
            if (ch is <= ' ' or > '~')
            {
                problems.Add(new FieldError(name, "may hold only printable ASCII without spaces"));
                return null;
            }
        }

        return value;
    }

    private static bool Boolean(IReadOnlyDictionary<string, string?> fields, string name, bool defaultValue, List<FieldError> problems)
    {
        string? value = Optional(fields, name);
        if (value is null)
        {
            return defaultValue;
        }

        if (bool.TryParse(value, out bool result))
        {
            return result;
        }

        problems.Add(new FieldError(name, "must be true or false"));
        return defaultValue;
    }

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,62})$", RegexOptions.CultureInvariant)]
    private static partial Regex RegionPattern();
}
