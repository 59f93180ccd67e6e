using Microsoft.AspNetCore.Http.Features;

namespace Sluice.Server.Storage;

/// <summary>
/// Routes storage requests on their raw path. Kestrel resolves <c>..</c> segments before
/// routing, so a key such as <c>../x</c> would otherwise route outside <c>/aws/storage/</c> (or a
/// blob outside <c>/azure/storage/</c>);
/// this puts the un-normalised path back for the router.
/// </summary>
public static class RawStoragePathMiddleware
{
    public static IApplicationBuilder UseRawStoragePaths(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        string? rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (rawTarget is not null)
        {
            string rawPath = StorageTarget.RawPath(rawTarget);
            if ((rawPath.StartsWith(StorageTarget.Prefix, StringComparison.Ordinal) || rawPath.StartsWith(Azure.AzureStorageTarget.Prefix, StringComparison.Ordinal))
                && rawPath != context.Request.Path.Value)
            {
                context.Request.Path = new PathString(rawPath);
            }
        }

        return next(context);
    });
}
