using Sluice.Core.Addressing;
using Sluice.Core.Signing;

namespace Sluice.Core.Accounts;

/// <summary>
/// One set of S3 credentials and the endpoint they are for. A class, not a record: the
/// secret and session token must never reach a generated <c>ToString</c>.
/// </summary>
public sealed class AwsAccount
{
    public AwsAccount(string id, string region, string? accessKeyId, string? secretAccessKey, string? sessionToken, EndpointHost? host, bool pathStyle, bool useSsl)
    {
        Id = id;
        Region = region;
        AccessKeyId = accessKeyId;
        SecretAccessKey = secretAccessKey;
        SessionToken = sessionToken;
        Host = host;
        PathStyle = pathStyle;
        UseSsl = useSsl;
        Endpoint = new S3Endpoint(region, host, pathStyle, useSsl);
    }

    public string Id { get; }

    public string Region { get; }

    /// <summary>Null when the account signs with the AWS default credential chain.</summary>
    public string? AccessKeyId { get; }

    public string? SecretAccessKey { get; }

    public string? SessionToken { get; }

    public EndpointHost? Host { get; }

    public bool PathStyle { get; }

    public bool UseSsl { get; }

    public S3Endpoint Endpoint { get; }

    public bool HasExplicitKeys => AccessKeyId is not null;

    /// <summary>The explicit keys as signing credentials, or null for the default chain.</summary>
    public SigningCredentials? ExplicitCredentials =>
        AccessKeyId is not null && SecretAccessKey is not null ? new SigningCredentials(AccessKeyId, SecretAccessKey, SessionToken) : null;

    public override string ToString() => $"AwsAccount({Id}, {Region}, secrets redacted)";
}
