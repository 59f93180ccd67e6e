using System.Collections.Concurrent;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Sluice.Server.Auth.Jwt;

/// <summary>
/// <c>/readyz</c>'s view of the trusted issuers: degraded while an issuer's keys cannot be fetched
/// (its tokens that need them get 503; everything else is served, so the instance stays in the
/// load balancer), healthy otherwise. An issuer counts once a token of it has been seen.
/// </summary>
public sealed class IssuersHealthCheck : IHealthCheck
{
    private readonly ConcurrentQueue<IssuerKeys> _issuers = new();

    /// <summary>Called as each issuer's scheme is set up.</summary>
    public void Watch(IssuerKeys keys) => _issuers.Enqueue(keys);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        string[] failing = _issuers.Where(keys => keys.Failing).Select(keys => keys.Issuer).ToArray();
        return Task.FromResult(failing.Length == 0
            ? HealthCheckResult.Healthy($"{_issuers.Count} trusted issuers in use, their keys fetched")
            : HealthCheckResult.Degraded($"the signing keys of {string.Join(", ", failing)} cannot be fetched; their new tokens get 503"));
    }
}
