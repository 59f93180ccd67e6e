using Sluice.Core.Addressing;
using Sluice.Core.Signing;

namespace Sluice.Core.Artifacts.Stores.Connections;

/// <summary>
/// Turns an <c>s3</c> store and its secret into an <see cref="S3StoreConnection"/>:
/// <list type="bullet">
/// <item><c>AWS_ENDPOINT_URL</c> (<c>http(s)://host[:port]</c>, or <c>host[:port]</c>): an
/// S3-compatible server, addressed path-style; its scheme decides TLS. Absent: AWS itself.</item>
/// <item><c>AWS_USE_SSL</c> (default true): TLS when the endpoint has no scheme, or for AWS.</item>
/// <item><c>AWS_VERIFY_SSL</c> (default true): false accepts any server certificate.</item>
/// <item><c>AWS_REGION</c> (default us-east-1).</item>
/// <item><c>AWS_ACCESS_KEY_ID</c> + <c>AWS_SECRET_ACCESS_KEY</c> (+ <c>AWS_SESSION_TOKEN</c>,
/// or its older name <c>AWS_SECURITY_TOKEN</c>): the keys. Without them, the default chain.</item>
/// </list>
/// </summary>
public static class S3ConnectionResolver
{
    public const string DefaultRegion = "us-east-1";

    /// <exception cref="StoreConnectionException">A value is malformed, or only half a key pair is given.</exception>
    public static S3StoreConnection Resolve(ArtifactStore store, StoreSecret secret)
    {
        string region = secret.Get(StoreSecret.Region) ?? DefaultRegion;
        bool useSsl = Flag(secret, StoreSecret.UseSsl, true);
        bool verifySsl = Flag(secret, StoreSecret.VerifySsl, true);
        EndpointHost? host = null;
        if (secret.Get(StoreSecret.EndpointUrl) is { } url)
        {
            (host, bool? schemeSsl) = ParseEndpoint(url, secret);
            useSsl = schemeSsl ?? useSsl;
        }

        SigningCredentials? keys = null;
        string? accessKeyId = secret.Get(StoreSecret.AccessKeyId);
        string? secretKey = secret.Get(StoreSecret.SecretAccessKey);
        if (accessKeyId is not null || secretKey is not null)
        {
            if (accessKeyId is null || secretKey is null)
            {
                string missing = accessKeyId is null ? StoreSecret.AccessKeyId : StoreSecret.SecretAccessKey;
                string present = accessKeyId is null ? StoreSecret.SecretAccessKey : StoreSecret.AccessKeyId;
                throw new StoreConnectionException($"store {store.Name}: {present} is set in {secret.Source} but {missing} is not ({secret.Where(missing)})");
            }

            string? token = secret.Get(StoreSecret.SessionToken) ?? secret.Get(StoreSecret.SecurityToken);
            keys = new SigningCredentials(accessKeyId, secretKey, token);
        }

        // S3-compatible servers rarely have wildcard DNS for virtual hosts: they go path-style.
        var endpoint = new S3Endpoint(region, host, PathStyle: host is not null, useSsl);
        return new S3StoreConnection(store, endpoint, verifySsl, keys, secret.Source);
    }

    private static (EndpointHost Host, bool? UseSsl) ParseEndpoint(string url, StoreSecret secret)
    {
        string expected = $"{StoreSecret.EndpointUrl} ({secret.Where(StoreSecret.EndpointUrl)}) must be http(s)://host[:port] or host[:port] (got '{url}')";
        string authority = url;
        bool? useSsl = null;
        int scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            useSsl = url[..scheme].ToLowerInvariant() switch
            {
                "https" => true,
                "http" => false,
                _ => throw new StoreConnectionException(expected),
            };
            authority = url[(scheme + 3)..];
            if (authority.EndsWith('/'))
            {
                authority = authority[..^1];
            }
        }

        if (!EndpointHost.TryParse(authority, out EndpointHost host, out string? problem))
        {
            throw new StoreConnectionException($"{expected}: the host {problem}");
        }

        return (host, useSsl);
    }

    private static bool Flag(StoreSecret secret, string key, bool defaultValue) =>
        secret.Get(key)?.Trim().ToLowerInvariant() switch
        {
            null => defaultValue,
            "true" or "1" or "yes" or "on" => true,
            "false" or "0" or "no" or "off" => false,
            { } other => throw new StoreConnectionException($"{key} ({secret.Where(key)}) must be true or false (got '{other}')"),
        };
}
