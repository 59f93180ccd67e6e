using Microsoft.Extensions.Options;
using Sluice.Server.Persistence;

namespace Sluice.Server.Hosting;

/// <summary>Checks the settings at start-up, so a bad value stops the server with its name.</summary>
internal sealed class SluiceOptionsValidator : IValidateOptions<SluiceOptions>
{
    public ValidateOptionsResult Validate(string? name, SluiceOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            failures.Add("Sluice:DataDirectory (SLUICE_DATA_DIR) must name a directory.");
        }

        if (options.EncryptionKey is { Length: > 0 } key && EncryptionKeySource.TryDecode(key) is null)
        {
            failures.Add("Sluice:EncryptionKey (SLUICE_ENCRYPTION_KEY) must be base64 of exactly 32 bytes (e.g. `openssl rand -base64 32`).");
        }

        if (options.MaxBodyBytes is < 1024 or > 16 * 1024 * 1024)
        {
            failures.Add("Sluice:MaxBodyBytes must be between 1024 and 16777216.");
        }

        if (options.CredentialRefreshBeforeExpirySeconds is < 0 or > 43_200)
        {
            failures.Add("Sluice:CredentialRefreshBeforeExpirySeconds must be between 0 and 43200.");
        }

        if (options.RateLimitPerSecond < 0)
        {
            failures.Add("Sluice:RateLimitPerSecond must be 0 (off) or more.");
        }

        if (options.RequestTimeoutSeconds is < 1 or > 3600)
        {
            failures.Add("Sluice:RequestTimeoutSeconds must be between 1 and 3600.");
        }

        if (options.CacheMaxStalenessSeconds is < 0 or > 86_400)
        {
            failures.Add("Sluice:CacheMaxStalenessSeconds must be between 0 and 86400.");
        }

        if (options.AuditQueueLimit is < 1 or > 10_000_000)
        {
            failures.Add("Sluice:AuditQueueLimit must be between 1 and 10000000.");
        }

        if (!options.AzureBlobEndpoint.Contains("{storage}", StringComparison.Ordinal)
            || !Uri.TryCreate(options.AzureBlobEndpoint.Replace("{storage}", "account", StringComparison.Ordinal), UriKind.Absolute, out Uri? blobEndpoint)
            || blobEndpoint.Scheme is not ("http" or "https") || blobEndpoint.Query.Length > 0)
        {
            failures.Add("Sluice:AzureBlobEndpoint (SLUICE_AZURE_BLOB_ENDPOINT) must be an http(s) URL holding {storage}, such as https://{storage}.blob.core.windows.net.");
        }

        if (options.AuditWhenFull is not ("refuse" or "drop"))
        {
            failures.Add("Sluice:AuditWhenFull must be refuse or drop.");
        }

        if (options.AuditFlushMilliseconds is < 10 or > 60_000)
        {
            failures.Add("Sluice:AuditFlushMilliseconds must be between 10 and 60000.");
        }

        if (options.AuditRetentionDays is < 0 or > 36_500)
        {
            failures.Add("Sluice:AuditRetentionDays must be between 0 (keep forever) and 36500.");
        }

        if (options.Signer is not ("sluice" or "aws-sdk"))
        {
            failures.Add("Sluice:Signer must be sluice or aws-sdk.");
        }

        if (options.LogFormat is not (null or "" or "json" or "text"))
        {
            failures.Add("Sluice:LogFormat (SLUICE_LOG_FORMAT) must be json or text.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
