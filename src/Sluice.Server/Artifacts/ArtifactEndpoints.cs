using Sluice.Core.Access;
using Sluice.Core.Accounts;
using Sluice.Core.Credentials;
using Sluice.Core.Signing;
using Sluice.Server.Audit;
using Sluice.Server.Auth;
using Sluice.Server.Problems;
using Sluice.Server.Storage;
using Sluice.Core.Artifacts.Runs;
using Sluice.Core.Artifacts.Stores;
using Sluice.Core.Artifacts.Stores.Connections;
using Sluice.Core.Providers;

namespace Sluice.Server.Artifacts;

/// <summary>
/// A run's files over HTTP: its tree with sizes, a presigned download link for a file
/// (<c>?redirect=true</c> answers 302, for <c>&lt;a href&gt;</c> and <c>&lt;img src&gt;</c>), and
/// deleting a file or a directory, and uploading into the run (<see cref="RunUploadEndpoints"/>). Paths travel in <c>?path=</c> (a query is never dot-segment
/// resolved on the way, unlike a URL path) and are checked as the client checks them.
/// Token scopes apply as to presigning, with the store's name in the place of the account:
/// listing and links need GET, deleting needs DELETE, and prefixes match the object keys.
/// </summary>
public static class ArtifactEndpoints
{
    public const string PathParameter = "path";

    public static IEndpointRouteBuilder MapArtifactEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/artifacts").WithTags("Artifact stores");
        group.MapGet("/", ListStores);
        group.MapGet("/{store}/runs", StoreRunsEndpoint.RunsAsync);
        group.MapGet("/{store}/runs/{run}/tree", TreeAsync);
        group.MapGet("/{store}/runs/{run}/files", (HttpContext context, string store, string run, ArtifactStoreRegistry registry, TimeProvider time, CancellationToken ct) =>
            MultipartEndpoints.IsMultipart(context) ? RunUploadEndpoints.GetAsync(context, store, run, registry, time, ct) : LinkAsync(context, store, run, registry, time, ct));
        group.MapPost("/{store}/runs/{run}/files", RunUploadEndpoints.PostAsync);
        group.MapDelete("/{store}/runs/{run}/files", (HttpContext context, string store, string run, ArtifactStoreRegistry registry, ILogger<ArtifactStoreRegistry> logger, CancellationToken ct) =>
            MultipartEndpoints.IsMultipart(context) ? RunUploadEndpoints.AbortAsync(context, store, run, registry, ct) : DeleteAsync(context, store, run, registry, logger, ct));
        group.MapGet("/{store}/runs/{run}/logs", RunRecordEndpoints.LogsAsync);
        group.MapGet("/{store}/runs/{run}/events/{kind}", RunRecordEndpoints.EventsAsync);
        return routes;
    }

    private static IResult ListStores(HttpContext context, ArtifactStoreRegistry registry)
    {
        TokenScope? scope = Caller.Of(context)?.Scope;
        return Results.Ok(registry.All
            .Where(store => MayUse(scope, store))
            .Select(store => new ArtifactStoreEntry(store.Name, store.BucketUrl, store.Description))
            .ToList());
    }

    private static async Task<IResult> TreeAsync(HttpContext context, string store, string run, ArtifactStoreRegistry registry, CancellationToken cancellationToken)
    {
        if (Target.Read(context, registry, store, run, pathRequired: false, out IResult? problem) is not { } target)
        {
            return problem!;
        }

        // A directory is listed by its prefix ('/' included): a token limited to outputs/eval/ may list outputs/eval.
        string listed = target.Path is null ? target.Run.RunPrefix : target.Run.DirectoryPrefixOf(target.Path);
        if (target.Deny(context, listed, ObjectMethod.Get, 0) is { } denied)
        {
            return denied;
        }

        return await WithStoreAsync(context, registry, target.Store, async session =>
        {
            IReadOnlyList<RemoteFile> files = await session.Client.ListAsync(target.Run, target.Path, cancellationToken);
            if (files.Count == 0 && target.Path is { Relative.Length: > 0 })
            {
                return NotFound(target);
            }

            string rootPath = target.Path?.Value ?? "";
            if (files is [{ } single] && single.Path == rootPath && target.Deny(context, single.Key, ObjectMethod.Get, 0) is { } fileDenied)
            {
                return fileDenied; // a file, not a directory: its own key must be inside the scope
            }


            RunTreeNode tree = RunTreeNode.Build(target.Path?.Name ?? target.Run.Run, rootPath, files);
            return Results.Ok(new RunTreeResponse(target.Store.Name, target.Run.Run, RunTreeEntry.From(tree)));
        });
    }

    private static async Task<IResult> LinkAsync(HttpContext context, string store, string run, ArtifactStoreRegistry registry, TimeProvider time, CancellationToken cancellationToken)
    {
        if (Target.Read(context, registry, store, run, pathRequired: true, out IResult? problem) is not { } target)
        {
            return problem!;
        }

        int? expiration = SigningSession.RequestedExpiration(context, out FieldError? expirationProblem);
        bool redirect = RedirectParameter.Read(context.Request.Query, out FieldError? redirectProblem);
        var errors = new List<FieldError>();
        if (expirationProblem is not null)
        {
            errors.Add(expirationProblem);
        }

        if (redirectProblem is not null)
        {
            errors.Add(redirectProblem);
        }

        if (errors.Count > 0)
        {
            return ProblemResults.Invalid(errors);
        }

        string key = target.Run.KeyOf(target.Path!);
        AuditFeature audit = AuditFeature.Of(context).Describe(AuditActions.ArtifactLink, target.Store.Name, target.Store.Bucket, key, "GET");
        if (target.Deny(context, key, ObjectMethod.Get, expiration!.Value) is { } denied)
        {
            return denied;
        }

        return await WithStoreAsync(context, registry, target.Store, async session =>
        {
            // A link to nothing would fail only when followed: say so now, and tell a directory from a file.
            IReadOnlyList<RemoteFile> found = await session.Client.ListAsync(target.Run, target.Path, cancellationToken);
            if (found.Count == 0)
            {
                return NotFound(target);
            }

            if (found.Count > 1 || found[0].Path != target.Path!.Value)
            {
                return ProblemResults.Invalid(PathParameter, $"'{target.Path}' is a directory; links are for files (list it with the tree endpoint)");
            }

            IUrlSigner signer = await session.Client.UrlSignerAsync(cancellationToken);
            DateTimeOffset now = time.GetUtcNow();
            UrlLifetime lifetime = UrlLifetime.Fit(now, expiration.Value, signer.CredentialsExpireAt, "store", target.Store.Name);
            if (lifetime.Problem is { } expired)
            {
                return expired;
            }

            string url = signer.Sign(target.Store.Bucket, key, ObjectMethod.Get, lifetime.Seconds, now);
            audit.Signed(key, 1, "GET", lifetime.ExpiresAt);
            return redirect
                ? Results.Redirect(url)
                : Results.Ok(new PresignResponse(url, "GET", lifetime.ExpiresAt, lifetime.Note));
        });
    }

    private static async Task<IResult> DeleteAsync(HttpContext context, string store, string run, ArtifactStoreRegistry registry, ILogger<ArtifactStoreRegistry> logger, CancellationToken cancellationToken)
    {
        if (Target.Read(context, registry, store, run, pathRequired: true, out IResult? problem) is not { } target)
        {
            return problem!;
        }

        AuditFeature.Of(context).Describe(AuditActions.ArtifactDelete, target.Store.Name, target.Store.Bucket, target.Run.KeyOf(target.Path!), "DELETE");

        // A prefix-scoped token may delete a directory only when the whole directory is inside its prefix.
        if ((target.Deny(context, target.Run.KeyOf(target.Path!), ObjectMethod.Delete, 0)
            ?? target.Deny(context, target.Run.DirectoryPrefixOf(target.Path!), ObjectMethod.Delete, 0)) is { } denied)
        {
            return denied;
        }

        return await WithStoreAsync(context, registry, target.Store, async session =>
        {
            DeleteSummary deleted;
            try
            {
                deleted = await session.Client.DeleteAsync(target.Run, target.Path!, cancellationToken);
            }
            catch (ArtifactNotFoundException)
            {
                return NotFound(target);
            }

            ArtifactLog.Deleted(logger, target.Store.Name, target.Run.Run, target.Path!.Value, deleted.Files, deleted.Bytes);
            return Results.Ok(new ArtifactDeleteResponse(target.Path!.Value, deleted.Files, deleted.Bytes, deleted.UploadsAborted));
        });
    }

    private static IResult NotFound(Target target) =>
        ProblemResults.Status(StatusCodes.Status404NotFound, "Nothing at this path", $"Run '{target.Run.Run}' of store '{target.Store.Name}' has nothing at '{target.Path}'.");

    /// <summary>Connects the store and runs <paramref name="action"/>; the store's failures become 503 (no credentials) or 502 (the store refused or could not be reached).</summary>
    internal static async Task<IResult> WithStoreAsync(HttpContext context, ArtifactStoreRegistry registry, ArtifactStore store, Func<ArtifactStoreSession, Task<IResult>> action)
    {
        ILogger logger = context.RequestServices.GetRequiredService<ILogger<ArtifactStoreRegistry>>();
        try
        {
            return await action(await registry.ConnectAsync(store, context.RequestAborted));
        }
        catch (Exception e) when (e is StoreConnectionException or CredentialSourceException)
        {
            ArtifactLog.Unavailable(logger, store.Name, e.Message);
            context.Response.Headers.RetryAfter = "10"; // a credential source that is down, or a secret about to be fixed
            return ProblemResults.Status(StatusCodes.Status503ServiceUnavailable, "The store cannot be used", e.Message);
        }
        catch (Exception e) when (e is ArtifactPathException)
        {
            return ProblemResults.Invalid(PathParameter, e.Message);
        }
        catch (Exception e) when (StoreFailures.IsStoreFailure(e, context.RequestAborted))
        {
            string reason = StoreFailures.Describe(e);
            ArtifactLog.Failed(logger, store.Name, reason);
            return ProblemResults.Status(StatusCodes.Status502BadGateway, "The store failed", $"Store '{store.Name}': {reason}");
        }
    }

    /// <summary>The store of that name, or the 404 that lists the stores there are.</summary>
    internal static ArtifactStore? FindStore(ArtifactStoreRegistry registry, string storeName, out IResult? problem)
    {
        problem = null;
        if (registry.Find(storeName) is { } store)
        {
            return store;
        }

        string known = registry.All.Count == 0 ? "this server has no stores file (SLUICE_CONFIG)" : $"stores: {string.Join(", ", registry.All.Select(s => s.Name))}";
        problem = ProblemResults.Status(StatusCodes.Status404NotFound, "Store not found", $"No artifact store named '{storeName}' ({known}).");
        return null;
    }

    /// <summary>Whether the caller's token may use the store at all (its accounts name it, or name none).</summary>
    internal static bool MayUse(TokenScope? scope, ArtifactStore store) =>
        scope is null || scope.Admin || scope.Accounts.Count == 0 || scope.Accounts.Contains(store.Name, StringComparer.Ordinal);

    /// <summary>The store, run and path of a request, each checked; or the 4xx naming what is wrong.</summary>
    internal sealed record Target(ArtifactStore Store, RunLayout Run, RunPath? Path)
    {
        public static Target? Read(HttpContext context, ArtifactStoreRegistry registry, string storeName, string runName, bool pathRequired, out IResult? problem)
        {
            if (FindStore(registry, storeName, out problem) is not { } store)
            {
                return null;
            }

            var errors = new List<FieldError>();
            if (RunLayout.RunNameProblem(runName) is { } runProblem)
            {
                errors.Add(new("run", $"'{runName}' {runProblem}"));
            }

            RunPath? path = null;
            var values = context.Request.Query[PathParameter];
            if (values.Count > 1)
            {
                errors.Add(new(PathParameter, "must be given once"));
            }
            else if (values.Count == 1 && values[0] is { Length: > 0 } text)
            {
                try
                {
                    path = RunPath.Parse(text);
                }
                catch (ArtifactPathException e)
                {
                    errors.Add(new(PathParameter, e.Message));
                }
            }
            else if (pathRequired)
            {
                errors.Add(new(PathParameter, "is required: a file or directory of the run, e.g. outputs/model.bin"));
            }

            if (errors.Count > 0)
            {
                problem = ProblemResults.Invalid(errors);
                return null;
            }

            try
            {
                var run = new RunLayout(store, runName);
                if (path is not null)
                {
                    _ = run.KeyOf(path); // too long a key is refused here, before any request
                }

                return new Target(store, run, path);
            }
            catch (ArtifactPathException e)
            {
                problem = ProblemResults.Invalid(PathParameter, e.Message);
                return null;
            }
        }

        public IResult? Deny(HttpContext context, string key, ObjectMethod method, int expirationSeconds) =>
            ScopeAuthorization.Deny(context, Store.Name, Store.Bucket, key, method, expirationSeconds);
    }
}
