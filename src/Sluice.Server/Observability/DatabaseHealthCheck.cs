using Microsoft.Extensions.Diagnostics.HealthChecks;
using Sluice.Server.Persistence;

namespace Sluice.Server.Observability;

/// <summary>Readiness: the account store answers a read.</summary>
public sealed class DatabaseHealthCheck(IAccountStore accounts) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // An id no account can have (ids may not contain '/'): a real query, never a hit.
            await accounts.FindAsync("readiness/probe", cancellationToken);
            return HealthCheckResult.Healthy("database reachable");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("database unreachable: " + e.GetType().Name);
        }
    }
}
