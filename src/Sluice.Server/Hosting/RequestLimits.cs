using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Sluice.Server.Auth;

namespace Sluice.Server.Hosting;

/// <summary>
/// Per-caller rate limiting (a token bucket per token, or per issuer and subject of a JWT, per client address before a token is
/// known), answered 429 with a problem body and <c>Retry-After</c>; and a timeout for every request.
/// Both read <see cref="SluiceOptions"/> when the app runs, not when it is built.
/// </summary>
public static class RequestLimits
{
    public static IServiceCollection AddSluiceRequestLimits(this IServiceCollection services)
    {
        services.AddRequestTimeouts();
        services.AddOptions<RequestTimeoutOptions>().Configure<IOptions<SluiceOptions>>((timeouts, sluice) =>
            timeouts.DefaultPolicy = new RequestTimeoutPolicy { Timeout = TimeSpan.FromSeconds(sluice.Value.RequestTimeoutSeconds) });

        services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                int perSecond = context.RequestServices.GetRequiredService<IOptions<SluiceOptions>>().Value.RateLimitPerSecond;
                if (perSecond <= 0)
                {
                    return RateLimitPartition.GetNoLimiter("off");
                }

                string partition = Caller.Of(context)?.RateKey ?? "address:" + context.Connection.RemoteIpAddress;
                return RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = perSecond * 2,
                    TokensPerPeriod = perSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                int perSecond = rejected.HttpContext.RequestServices.GetRequiredService<IOptions<SluiceOptions>>().Value.RateLimitPerSecond;
                rejected.HttpContext.Response.Headers.RetryAfter = "1";
                await Results.Problem(
                        statusCode: StatusCodes.Status429TooManyRequests,
                        title: "Too many requests",
                        detail: $"More than {perSecond} requests per second (bursts of {perSecond * 2}) for this caller; retry after a second.")
                    .ExecuteAsync(rejected.HttpContext);
            };
        });
        return services;
    }

    public static IApplicationBuilder UseSluiceRequestLimits(this IApplicationBuilder app) => app.UseRateLimiter().UseRequestTimeouts();
}
