using Prometheus;
using Sluice.Core.Credentials;

namespace Sluice.Server.Observability;

/// <summary>
/// Sluice's own Prometheus series, beside the per-route request counts and latency histograms
/// that prometheus-net's HTTP middleware records: URLs signed by method, and credential refreshes
/// and their failures (read from the credential cache at scrape time).
/// </summary>
public sealed class SluiceMetrics
{
    private static readonly Counter UrlsSigned = Metrics.CreateCounter(
        "sluice_presigned_urls_total", "Presigned URLs handed out, by HTTP method.", new CounterConfiguration { LabelNames = ["method"] });

    private static readonly Gauge CredentialRefreshes = Metrics.CreateGauge(
        "sluice_credential_refreshes_total", "Successful refreshes of default-chain credentials since start.");

    private static readonly Gauge CredentialRefreshFailures = Metrics.CreateGauge(
        "sluice_credential_refresh_failures_total", "Failed attempts to refresh default-chain credentials since start.");

    public SluiceMetrics(CachedCredentialProvider credentials)
    {
        Metrics.DefaultRegistry.AddBeforeCollectCallback(() =>
        {
            CredentialRefreshes.Set(credentials.Refreshes);
            CredentialRefreshFailures.Set(credentials.RefreshFailures);
        });
    }

    public void Signed(string method, int urls = 1) => UrlsSigned.WithLabels(method).Inc(urls);
}
