using System.Net;

namespace Sluice.Core.Providers;

/// <summary>
/// The HTTP connections of a store's client, whatever the cloud: enough per server for the
/// transfer's concurrency, no decompression or redirects, and, only when the secret says so
/// (<c>AWS_VERIFY_SSL=false</c>), any server certificate accepted.
/// </summary>
internal static class StoreHttpClients
{
    /// <summary>How long one request of a transfer may take, whatever the cloud.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromMinutes(5);

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
}
