using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Prometheus;
using Scalar.AspNetCore;

namespace Sluice.Server.Observability;

/// <summary>
/// Health (<c>/healthz</c> live, <c>/readyz</c> database reachable; both open to all), Prometheus
/// metrics at <c>/metrics</c> (behind a token, like the API), the OpenAPI document at
/// <c>/openapi/v1.json</c> with a reference page at <c>/docs</c> (open: they describe the API and
/// hold no data), and a request id on every answer.
/// </summary>
public static class ObservabilitySetup
{
    public const string ReadyTag = "ready";

    public static IServiceCollection AddSluiceObservability(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag])
            .AddCheck<Audit.AuditHealthCheck>("audit", tags: [ReadyTag]);
        services.AddOpenApi();
        services.AddSingleton<SluiceMetrics>();
        return services;
    }

    /// <summary>Before routing: the request id header, and request counts and latencies by route.</summary>
    public static IApplicationBuilder UseSluiceRequestTelemetry(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.Headers["X-Request-Id"] = context.TraceIdentifier;
        return next(context);
    });

    public static IEndpointRouteBuilder MapSluiceObservability(this IEndpointRouteBuilder routes)
    {
        routes.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        routes.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResultStatusCodes = { [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable },
        }).AllowAnonymous();
        routes.MapMetrics("/metrics");
        routes.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        routes.MapScalarApiReference("/docs", options => options.WithTitle("Sluice API").WithOpenApiRoutePattern("/openapi/{documentName}.json")).AllowAnonymous();
        return routes;
    }
}
