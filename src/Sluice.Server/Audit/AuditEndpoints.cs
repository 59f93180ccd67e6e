using System.Text.Json;
using Sluice.Core.Accounts;
using Sluice.Server.Auth;
using Sluice.Server.Problems;

namespace Sluice.Server.Audit;

/// <summary>
/// The trail, for admins: <c>GET /audit</c> pages through the records that match
/// (<c>since, until, identity, account, bucket, prefix, method, outcome, action</c>; <c>limit</c>
/// up to 1,000; <c>after</c> the <c>next</c> of the page before), and <c>GET /audit/export</c>
/// streams all of them as JSON lines.
/// </summary>
public static class AuditEndpoints
{
    public const int MaxPage = 1000;
    private const int DefaultPage = 100;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/audit").WithTags("Audit").RequireAuthorization(AuthSetup.AdminPolicy);
        group.MapGet("/", PageAsync);
        group.MapGet("/export", ExportAsync);
        return routes;
    }

    private static async Task<IResult> PageAsync(HttpContext context, IAuditStore store, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        AuditFilter filter = AuditFilter.Read(context.Request.Query, errors);
        long after = Number(context.Request.Query, "after", 0, long.MaxValue, 0, errors);
        int limit = (int)Number(context.Request.Query, "limit", 1, MaxPage, DefaultPage, errors);
        if (errors.Count > 0)
        {
            return ProblemResults.Invalid(errors);
        }

        IReadOnlyList<AuditRecord> records = await store.QueryAsync(filter, after, limit, cancellationToken);
        long? next = records.Count == limit ? records[^1].Id : null;
        return Results.Ok(new AuditPage(records, next));
    }

    private static async Task ExportAsync(HttpContext context, IAuditStore store, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        AuditFilter filter = AuditFilter.Read(context.Request.Query, errors);
        if (errors.Count > 0)
        {
            await ProblemResults.Invalid(errors).ExecuteAsync(context);
            return;
        }

        context.Response.ContentType = "application/x-ndjson";
        long after = 0;
        while (true)
        {
            IReadOnlyList<AuditRecord> records = await store.QueryAsync(filter, after, MaxPage, cancellationToken);
            foreach (AuditRecord record in records)
            {
                await JsonSerializer.SerializeAsync(context.Response.Body, record, Json, cancellationToken);
                await context.Response.Body.WriteAsync(NewLine, cancellationToken);
            }

            await context.Response.Body.FlushAsync(cancellationToken);
            if (records.Count < MaxPage)
            {
                return;
            }

            after = records[^1].Id;
        }
    }

    private static long Number(IQueryCollection query, string name, long min, long max, long fallback, List<FieldError> errors)
    {
        var values = query[name];
        if (values.Count == 0)
        {
            return fallback;
        }

        if (values.Count == 1 && long.TryParse(values[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long value) && value >= min && value <= max)
        {
            return value;
        }

        errors.Add(new FieldError(name, $"must be a whole number from {min} to {max}, given once"));
        return fallback;
    }
}

/// <summary>One page of the trail; <see cref="Next"/> goes in <c>after</c> for the next page, null on the last.</summary>
public sealed record AuditPage(IReadOnlyList<AuditRecord> Records, long? Next);
