using System.Buffers;
using Microsoft.Extensions.Options;
using Sluice.Server.Auth;
using Sluice.Server.Hosting;

namespace Sluice.Server.Audit;

/// <summary>
/// Records every request an endpoint described (<see cref="AuditFeature"/>) and every refused one
/// (401, 403, 429), once its response is decided, with who sent it and from where. It runs first,
/// so what it records is the status the client got (after the exception handler). A request takes
/// its place in the <see cref="AuditQueue"/> before it is served: with no place left it is refused
/// with 503 (<c>Sluice:AuditWhenFull=refuse</c>, the default) or served and its record dropped (<c>drop</c>).
/// </summary>
public sealed class AuditMiddleware(RequestDelegate next, AuditQueue queue, IOptions<SluiceOptions> options, TimeProvider time, ILogger<AuditMiddleware> logger)
{
    private readonly bool _refuseWhenFull = options.Value.AuditWhenFull != "drop";
    private readonly bool _mirrorToLog = options.Value.AuditLog;

    /// <summary>Where a record is encoded before it is copied into the queue: one per thread, reused.</summary>
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? Scratch;

    public async Task InvokeAsync(HttpContext context)
    {
        if (IsUnaudited(context.Request.Path))
        {
            await next(context);
            return;
        }

        bool reserved = queue.TryReserve();
        if (!reserved && _refuseWhenFull)
        {
            queue.CountRefused();
            AuditLog.QueueFull(logger, queue.Capacity);
            context.Response.Headers.RetryAfter = "1";
            await Results.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "The audit trail is behind",
                detail: "Every request is recorded before it is served, and the records waiting for the database have reached Sluice:AuditQueueLimit; try again shortly.")
                .ExecuteAsync(context);
            return;
        }

        var feature = new AuditFeature();
        context.Features.Set(feature);
        try
        {
            await next(context);
        }
        finally
        {
            Record(context, feature, reserved);
        }
    }

    private void Record(HttpContext context, AuditFeature feature, bool reserved)
    {
        int status = context.Response.StatusCode;
        string? action = feature.Action ?? (status is 401 or 403 or 429 ? AuditActions.Request : null);
        if (action is null)
        {
            if (reserved)
            {
                queue.Release();
            }

            return;
        }

        Caller? caller = Caller.Of(context);
        DateTimeOffset now = time.GetUtcNow();
        if (_mirrorToLog)
        {
            AuditLog.Recorded(
                logger, action, status < 400 ? "allowed" : status < 500 ? "refused" : "failed", status, caller?.Kind ?? "none", caller?.Id,
                feature.Account, feature.Bucket, feature.Key, feature.KeyCount, feature.Method);
        }

        if (!reserved)
        {
            queue.CountDropped();
            return;
        }

        ArrayBufferWriter<byte> scratch = Scratch ??= new ArrayBufferWriter<byte>(1024);
        scratch.ResetWrittenCount();
        AuditRecordCodec.Encode(
            scratch, now, action, status, caller?.Kind ?? "none", caller?.Id, caller?.Name, context.Connection.RemoteIpAddress,
            context.TraceIdentifier, context.Request.Method, context.Request.Path.Value ?? "/", feature);
        if (!queue.Enqueue(scratch.WrittenSpan))
        {
            queue.Release();
            queue.CountDropped(); // the process is stopping: the writer has taken its last records
        }
    }

    /// <summary>Probes, metrics and the API's own documentation: nothing to audit, and never refused for a full queue.</summary>
    private static bool IsUnaudited(PathString path) =>
        path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz") || path.StartsWithSegments("/metrics")
        || path.StartsWithSegments("/docs") || path.StartsWithSegments("/openapi");
}
