using Prometheus;
using Sluice.Core.Credentials;
using Sluice.Server.Audit;

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

    private static readonly Gauge AuditQueued = Metrics.CreateGauge(
        "sluice_audit_queue_records", "Audit records waiting for the database (or reserved by requests being served); requests are refused or records dropped at Sluice:AuditQueueLimit.");

    private static readonly Gauge AuditWritten = Metrics.CreateGauge(
        "sluice_audit_records_written_total", "Audit records written to the database since start.");

    private static readonly Gauge AuditDropped = Metrics.CreateGauge(
        "sluice_audit_records_dropped_total", "Audit records dropped because the queue was full (Sluice:AuditWhenFull=drop).");

    private static readonly Gauge AuditRefused = Metrics.CreateGauge(
        "sluice_audit_requests_refused_total", "Requests refused with 503 because the audit queue was full (Sluice:AuditWhenFull=refuse).");

    private static readonly Gauge AuditFailing = Metrics.CreateGauge(
        "sluice_audit_write_failing", "1 while the database refuses the audit trail's writes (the batch is kept and tried again).");

    public SluiceMetrics(CachedCredentialProvider credentials, AuditQueue audit, AuditWriter auditWriter)
    {
        Metrics.DefaultRegistry.AddBeforeCollectCallback(() =>
        {
            CredentialRefreshes.Set(credentials.Refreshes);
            CredentialRefreshFailures.Set(credentials.RefreshFailures);
            AuditQueued.Set(audit.Reserved);
            AuditWritten.Set(audit.Written);
            AuditDropped.Set(audit.Dropped);
            AuditRefused.Set(audit.Refused);
            AuditFailing.Set(auditWriter.Failing ? 1 : 0);
        });
    }

    public void Signed(string method, int urls = 1) => UrlsSigned.WithLabels(method).Inc(urls);
}
