using Amazon.Runtime;
using Amazon.S3;
using Sluice.Core.Addressing;
using Sluice.Core.Credentials;
using Sluice.Core.Signing;
using Sluice.Core.Artifacts.Stores;
using Sluice.Core.Artifacts.Stores.Connections;
using Sluice.Core.Transfers;

namespace Sluice.Core.Providers.S3;

/// <summary>
/// The AWS SDK client of one store: <see cref="S3ClientFactory"/>'s settings for S3-compatible
/// servers (checksums only where an operation requires them, which RGW and others need;
/// path-style and the endpoint pinned for custom hosts), and in addition: credentials that refresh (the default chain through a
/// <see cref="CachedCredentialProvider"/>), the secret's <c>AWS_VERIFY_SSL</c>, connections for
/// the transfer's concurrency, a timeout fit for a whole part, larger body copies, and request
/// bodies whose SHA-256 the uploader gives (see <see cref="StoreS3Client"/>).
/// </summary>
public static class StoreClientFactory
{
    public static readonly TimeSpan RequestTimeout = StoreHttpClients.RequestTimeout;

    /// <summary>
    /// The SDK copies a request body to the connection in pieces of this size (its default is
    /// 8 KiB: 131,072 socket writes per GiB); one per in-flight request, so 20 take 2.5 MiB.
    /// </summary>
    private const int BodyCopyBufferBytes = 128 * 1024;

    /// <summary>
    /// A client with the store's credentials, resolved once here so that a store without usable
    /// credentials fails before any transfer starts.
    /// </summary>
    /// <param name="defaultChain">The default chain to use for a store without keys (a server shares one); null: a new one over <paramref name="environment"/>.</param>
    /// <exception cref="StoreConnectionException">No credentials: the message names every source tried.</exception>
    public static async Task<StoreClients> CreateAsync(
        S3StoreConnection connection, TransferOptions options, CredentialEnvironment environment, CancellationToken cancellationToken, CachedCredentialProvider? defaultChain = null)
    {
        AWSCredentials credentials;
        Func<CancellationToken, ValueTask<SigningCredentials>> signing;
        if (connection.Keys is { } keys)
        {
            credentials = S3ClientFactory.SdkCredentials(keys);
            signing = _ => ValueTask.FromResult(keys);
        }
        else
        {
            CachedCredentialProvider provider = defaultChain
                ?? new CachedCredentialProvider(DefaultCredentialChain.Standard(environment), TimeProvider.System, new CredentialRefreshOptions());
            try
            {
                await provider.GetAsync(cancellationToken);
            }
            catch (CredentialSourceException e)
            {
                throw new StoreConnectionException($"store {connection.Store.Name}: {connection.SecretSource} has no AWS_ACCESS_KEY_ID, and {e.Message}");
            }

            credentials = new ChainCredentials(provider);
            signing = async token => (await provider.GetAsync(token)).Credentials;
        }

        AmazonS3Config config = S3ClientFactory.Config(connection.Endpoint, RequestTimeout, maxErrorRetry: 4);
        config.RetryMode = RequestRetryMode.Standard;
        config.HttpClientFactory = new StoreHttpClientFactory(connection.VerifySsl, options.Concurrency + 4, RequestTimeout);
        config.BufferSize = BodyCopyBufferBytes;
        return new StoreClients(new StoreS3Client(credentials, config), signing);
    }
}
