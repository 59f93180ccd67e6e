using Sluice.Core.Credentials;
using Sluice.Server.Observability;
using Sluice.Server.Persistence;

namespace Sluice.Server.Storage;

/// <summary>What a presign request needs, resolved once for the app rather than once per request.</summary>
public sealed class PresignServices(
    IAccountStore accounts,
    ICredentialResolver credentials,
    IObjectUrlSigner signer,
    TimeProvider time,
    SluiceMetrics metrics,
    ILogger<PresignServices> logger)
{
    public IAccountStore Accounts => accounts;

    public ICredentialResolver Credentials => credentials;

    public IObjectUrlSigner Signer => signer;

    public TimeProvider Time => time;

    public SluiceMetrics Metrics => metrics;

    public ILogger Logger => logger;
}
