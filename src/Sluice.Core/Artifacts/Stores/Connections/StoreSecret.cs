namespace Sluice.Core.Artifacts.Stores.Connections;

/// <summary>
/// The settings of one store's secret, from one place only: a mounted secret directory, or the
/// process environment. <see cref="Source"/> says which (for messages; it holds no value).
/// </summary>
public sealed class StoreSecret
{
    public const string AccessKeyId = "AWS_ACCESS_KEY_ID";
    public const string SecretAccessKey = "AWS_SECRET_ACCESS_KEY";
    public const string EndpointUrl = "AWS_ENDPOINT_URL";
    public const string SessionToken = "AWS_SESSION_TOKEN";
    public const string SecurityToken = "AWS_SECURITY_TOKEN";
    public const string Region = "AWS_REGION";
    public const string UseSsl = "AWS_USE_SSL";
    public const string VerifySsl = "AWS_VERIFY_SSL";

    // wasb stores, named as Polyaxon's Azure connections name them.
    public const string AzureAccountName = "AZURE_ACCOUNT_NAME";
    public const string AzureAccountKey = "AZURE_ACCOUNT_KEY";
    public const string AzureConnectionString = "AZURE_CONNECTION_STRING";
    public const string AzureSasToken = "AZURE_SAS_TOKEN";

    /// <summary>Every key a store's secret may hold; other keys are ignored.</summary>
    public static IReadOnlyList<string> Keys { get; } =
        [AccessKeyId, SecretAccessKey, EndpointUrl, SessionToken, SecurityToken, Region, UseSsl, VerifySsl, AzureAccountName, AzureAccountKey, AzureConnectionString, AzureSasToken];

    private readonly IReadOnlyDictionary<string, string> _values;
    private readonly Func<string, string> _where;

    public StoreSecret(string source, IReadOnlyDictionary<string, string> values, Func<string, string> where)
    {
        Source = source;
        _values = values;
        _where = where;
    }

    /// <summary>E.g. "secret s3-secret (/etc/sluice/secrets/s3-secret)" or "the environment".</summary>
    public string Source { get; }

    /// <summary>The value of <paramref name="key"/>, or null when it is absent or empty.</summary>
    public string? Get(string key) => _values.TryGetValue(key, out string? value) && value.Length > 0 ? value : null;

    /// <summary>Where <paramref name="key"/> is read from, for messages: a file path or "environment variable KEY".</summary>
    public string Where(string key) => _where(key);

    /// <summary>Whether <paramref name="other"/> holds the same keys with the same values (a rotated secret does not).</summary>
    public bool SameValues(StoreSecret other) =>
        _values.Count == other._values.Count
        && _values.All(pair => other._values.TryGetValue(pair.Key, out string? value) && string.Equals(value, pair.Value, StringComparison.Ordinal));

    public override string ToString() => $"StoreSecret({Source}, values redacted)";
}
