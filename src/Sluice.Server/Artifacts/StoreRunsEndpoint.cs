using System.Globalization;
using Sluice.Core.Access;
using Sluice.Core.Accounts;
using Sluice.Core.Artifacts.Runs;
using Sluice.Core.Artifacts.Stores;
using Sluice.Core.Providers;
using Sluice.Server.Auth;
using Sluice.Server.Problems;

namespace Sluice.Server.Artifacts;

/// <summary>
/// <c>GET /artifacts/{store}/runs[?after=&amp;limit=]</c>: a store's runs in name order, a page at a
/// time (a store may hold thousands), each with its file count, size and last change. A token sees
/// the runs whose keys it may read (its prefixes); a token whose accounts do not name the store gets 403.
/// </summary>
public static class StoreRunsEndpoint
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 500;

    public static async Task<IResult> RunsAsync(HttpContext context, string store, ArtifactStoreRegistry registry, CancellationToken cancellationToken)
    {
        if (ArtifactEndpoints.FindStore(registry, store, out IResult? missing) is not { } artifactStore)
        {
            return missing!;
        }

        var errors = new List<FieldError>();
        int limit = DefaultLimit;
        if (context.Request.Query["limit"] is { Count: > 0 } limitText
            && !(int.TryParse(limitText[0], NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit is >= 1 and <= MaxLimit))
        {
            errors.Add(new("limit", $"must be a whole number from 1 to {MaxLimit}"));
        }

        string? after = context.Request.Query["after"] is { Count: > 0 } afterText && afterText[0] is { Length: > 0 } name ? name : null;
        if (after is not null && RunLayout.RunNameProblem(after) is { } afterProblem)
        {
            errors.Add(new("after", $"'{after}' {afterProblem}"));
        }

        if (errors.Count > 0)
        {
            return ProblemResults.Invalid(errors);
        }

        if (Caller.Of(context) is not { } caller)
        {
            return ProblemResults.Status(StatusCodes.Status401Unauthorized, "Authentication required", "a valid token is required");
        }

        if (!ArtifactEndpoints.MayUse(caller.Scope, artifactStore))
        {
            return ProblemResults.Status(StatusCodes.Status403Forbidden, "Outside the token's scope", $"the token's accounts do not include the store '{artifactStore.Name}'");
        }

        bool Readable(string run) =>
            PresignRights.Missing(caller.Scope, artifactStore.Name, artifactStore.Bucket, new RunLayout(artifactStore, run).RunPrefix, ObjectMethod.Get, 0) is null;

        return await ArtifactEndpoints.WithStoreAsync(context, registry, artifactStore, async session =>
        {
            RunsPage page = await session.Client.ListRunsAsync(after, limit, Readable, cancellationToken);
            return Results.Ok(new StoreRunsResponse(
                artifactStore.Name,
                page.Runs.Select(run => new StoreRunEntry(run.Name, run.Files, run.Size, run.LastModified)).ToList(),
                page.Next));
        });
    }
}
