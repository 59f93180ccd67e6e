using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Sluice.Server.Audit;

/// <summary>
/// <c>/readyz</c>'s view of the trail: degraded while the database refuses its writes or the queue
/// is over half full (the database is not keeping up), unhealthy once it is full, when requests
/// are refused (or records dropped).
/// </summary>
public sealed class AuditHealthCheck(AuditQueue queue, AuditWriter writer) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        long queued = queue.Reserved;
        HealthCheckResult result = queued >= queue.Capacity
            ? HealthCheckResult.Unhealthy($"audit queue full: {queued} of {queue.Capacity} records wait for the database")
            : writer.Failing
                ? HealthCheckResult.Degraded($"the database refuses the audit trail's writes; {queued} records wait")
                : queued * 2 >= queue.Capacity
                    ? HealthCheckResult.Degraded($"the database is behind the audit trail: {queued} of {queue.Capacity} records wait")
                    : HealthCheckResult.Healthy($"{queued} audit records wait");
        return Task.FromResult(result);
    }
}
