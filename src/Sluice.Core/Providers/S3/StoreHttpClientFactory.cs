using Amazon.Runtime;

namespace Sluice.Core.Providers.S3;

/// <summary>The AWS SDK's way to the connections of <see cref="StoreHttpClients"/>, cached per client.</summary>
internal sealed class StoreHttpClientFactory(bool verifySsl, int connections, TimeSpan timeout) : HttpClientFactory
{
    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => StoreHttpClients.Create(verifySsl, connections, timeout);

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => true;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

    public override string GetConfigUniqueString(IClientConfig clientConfig) =>
        $"sluice-artifacts:{verifySsl}:{connections}:{timeout.Ticks}";
}
