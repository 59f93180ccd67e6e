using Microsoft.Extensions.Diagnostics.HealthChecks;
using Sluice.Server.Persistence;
using Sluice.Server.Persistence.Caching;

namespace Sluice.Server.Observability;

/// <summary>
/// Readiness: the database answers a read. When it does not but cached tokens and accounts may
/// still be used (PostgreSQL, within the allowed staleness), the instance is Degraded, which
/// still answers 200: it keeps serving what it knows, and taking every instance out of a load
/// balancer at once would turn a database outage into a total one.
/// </summary>
public sealed class DatabaseHealthCheck(DatabaseCache cache) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // An id no account can have (ids may not contain '/'): a real query, never a hit.
            await cache.Accounts.FindAsync("readiness/probe", cancellationToken);
            return cache.Freshness.State == CacheState.Current
                ? HealthCheckResult.Healthy("database reachable")
                : HealthCheckResult.Degraded("database reachable; the cache is catching up");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return !cache.Freshness.FollowsOtherWriters || cache.Freshness.State == CacheState.Expired
                ? HealthCheckResult.Unhealthy("database unreachable: " + e.GetType().Name)
                : HealthCheckResult.Degraded("database unreachable: " + e.GetType().Name + "; serving cached tokens and accounts");
        }
    }
}
