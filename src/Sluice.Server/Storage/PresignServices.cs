using Sluice.Core.Providers.S3;
using Sluice.Core.Credentials;
using Sluice.Server.Observability;
using Sluice.Server.Persistence;

namespace Sluice.Server.Storage;

/// <summary>What a presign request needs, resolved once for the app rather than once per request.</summary>
public sealed class PresignServices(
    IAccountStore accounts,
    ICredentialResolver credentials,
    S3Provider s3,
    TimeProvider time,
    SluiceMetrics metrics,
    ILogger<PresignServices> logger)
{
    public IAccountStore Accounts => accounts;

    public ICredentialResolver Credentials => credentials;

    /// <summary>The provider of the accounts' URL signers and object stores (S3 is the one kind of account today).</summary>
    public S3Provider S3 => s3;

    public TimeProvider Time => time;

    public SluiceMetrics Metrics => metrics;

    public ILogger Logger => logger;
}
