using System.Net;
using Amazon.Runtime;

namespace Sluice.Core.Providers.S3;

/// <summary>
/// The HTTP connections of a store's S3 client: enough per server for the transfer's
/// concurrency, no decompression, and, only when the secret says <c>AWS_VERIFY_SSL=false</c>,
/// any server certificate accepted.
/// </summary>
internal sealed class StoreHttpClientFactory(bool verifySsl, int connections, TimeSpan timeout) : HttpClientFactory
{
    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => Create(verifySsl, connections, timeout);

    /// <summary>An HttpClient with the same connection settings, for requests made without the SDK.</summary>
    public static HttpClient Create(bool verifySsl, int connections, TimeSpan timeout)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            AutomaticDecompression = DecompressionMethods.None,
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(50),
            ConnectTimeout = TimeSpan.FromSeconds(15),
        };
        if (!verifySsl)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        }

        return new HttpClient(handler) { Timeout = timeout };
    }

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => true;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

    public override string GetConfigUniqueString(IClientConfig clientConfig) =>
        $"sluice-artifacts:{verifySsl}:{connections}:{timeout.Ticks}";
}
