using Sluice.Core.Addressing;
using Microsoft.Extensions.Options;
using Sluice.Core.Accounts;
using Sluice.Core.Artifacts.Stores;
using Sluice.Core.Providers;
using Sluice.Core.Signing;
using Sluice.Server.Audit;
using Sluice.Server.Hosting;
using Sluice.Server.Problems;
using Sluice.Server.Requests;
using Sluice.Server.Storage;

namespace Sluice.Server.Artifacts;

/// <summary>
/// Presigned multipart uploads into a run, on <c>/artifacts/{store}/runs/{run}/files?path=</c> with
/// the storage API's query words, answering as <see cref="MultipartEndpoints"/> does (whose steps
/// these share): <c>POST …&amp;uploads</c> starts, <c>GET …&amp;uploadId=&amp;partNumbers=</c> signs
/// part URLs, <c>GET …&amp;uploadId=</c> lists the parts, <c>POST …&amp;uploadId=</c> completes and
/// <c>DELETE …&amp;uploadId=</c> aborts. Every step needs PUT on the file's key; the parts go from
/// the client straight to the store's bucket, as the web console sends them.
/// </summary>
internal static class RunUploadEndpoints
{
    private static readonly string[] CreateFields = [UploadKeyRequest.ContentTypeField];

    public static async Task<IResult> PostAsync(
        HttpContext context, string store, string run, ArtifactStoreRegistry registry, IOptions<SluiceOptions> options, CancellationToken cancellationToken)
    {
        bool create = context.Request.Query.ContainsKey(MultipartEndpoints.UploadsWord);
        if (!create && !MultipartEndpoints.IsMultipart(context))
        {
            return ProblemResults.Invalid(MultipartEndpoints.UploadsWord,
                "POST on a run's file starts an upload (?uploads) or completes one (?uploadId=); to read a file, GET it");
        }

        if (Read(context, registry, store, run, create ? AuditActions.MultipartCreate : AuditActions.MultipartComplete, out var problem) is not { } target)
        {
            return problem!;
        }

        if (create)
        {
            var body = await FieldBodyReader.ReadAsync(context.Request, options.Value.MaxBodyBytes, cancellationToken);
            if (body.Problem is { } bodyProblem)
            {
                return bodyProblem;
            }

            var errors = body.Fields!.Keys.Where(k => !CreateFields.Contains(k))
                .Select(k => new FieldError(k, $"is not a field of an upload into a run (known: {string.Join(", ", CreateFields)}; the file's path is ?path=)")).ToList();
            string? contentType = body.Fields.GetValueOrDefault(UploadKeyRequest.ContentTypeField);
            if (contentType is not null && MediaType.Problem(contentType) is { } typeProblem)
            {
                errors.Add(new FieldError(UploadKeyRequest.ContentTypeField, typeProblem));
            }

            if (errors.Count > 0)
            {
                return ProblemResults.Invalid(errors);
            }

            return await OnStoreAsync(context, registry, target, 1, async (objects, key) =>
                MultipartEndpoints.Created(key, await objects.StartUploadAsync(key, contentType, cancellationToken)));
        }

        if (UploadIdOf(context, out string uploadId) is { } idProblem)
        {
            return idProblem;
        }

        var (parts, partsProblem) = await MultipartEndpoints.ReadCompletionAsync(context, cancellationToken);
        return parts is null
            ? partsProblem!
            : await OnStoreAsync(context, registry, target, 1, (objects, key) =>
                MultipartEndpoints.CompleteOnStoreAsync(context, objects, key, uploadId, parts, cancellationToken));
    }

    /// <summary>GET with <c>uploadId</c>: part URLs when <c>partNumbers</c> is given, the uploaded parts otherwise.</summary>
    public static async Task<IResult> GetAsync(HttpContext context, string store, string run, ArtifactStoreRegistry registry, TimeProvider time, CancellationToken cancellationToken)
    {
        bool sign = context.Request.Query.ContainsKey(MultipartEndpoints.PartNumbersParameter);
        if (Read(context, registry, store, run, sign ? AuditActions.MultipartSignParts : AuditActions.MultipartList, out var problem) is not { } target)
        {
            return problem!;
        }

        var errors = new List<FieldError>();
        string? uploadId = MultipartEndpoints.UploadId(context, errors);
        if (!sign)
        {
            return errors.Count > 0
                ? ProblemResults.Invalid(errors)
                : await OnStoreAsync(context, registry, target, 1, async (objects, key) =>
                    Results.Ok(new UploadedParts(key, uploadId!, await MultipartEndpoints.ListAsync(objects, key, uploadId!, cancellationToken))));
        }

        IReadOnlyList<int>? parts = PartNumbers.Parse(context.Request.Query[MultipartEndpoints.PartNumbersParameter], out string? partsProblem);
        if (partsProblem is not null)
        {
            errors.Add(new FieldError(MultipartEndpoints.PartNumbersParameter, partsProblem));
        }

        int? expiration = SigningSession.RequestedExpiration(context, out FieldError? expirationProblem);
        if (expirationProblem is not null)
        {
            errors.Add(expirationProblem);
        }

        if (errors.Count > 0)
        {
            return ProblemResults.Invalid(errors);
        }

        return await OnStoreAsync(context, registry, target, expiration!.Value, async (objects, key) =>
        {
            IUrlSigner signer = await objects.UrlSignerAsync(cancellationToken);
            DateTimeOffset now = time.GetUtcNow();
            UrlLifetime lifetime = UrlLifetime.Fit(now, expiration.Value, signer.CredentialsExpireAt, "store", target.Store.Name);
            if (lifetime.Problem is { } expired)
            {
                return expired;
            }

            var urls = parts!.Select(part => new PartUrl(part, signer.Sign(target.Store.Bucket, key, ObjectMethod.Put, lifetime.Seconds, now, UploadConstraint.Part(uploadId!, part)))).ToList();
            AuditFeature.Of(context).Signed(key, urls.Count, "PUT", lifetime.ExpiresAt);
            return Results.Ok(new PartUrls(key, uploadId!, "PUT", lifetime.ExpiresAt, urls, lifetime.Note));
        });
    }

    public static async Task<IResult> AbortAsync(HttpContext context, string store, string run, ArtifactStoreRegistry registry, CancellationToken cancellationToken)
    {
        if (Read(context, registry, store, run, AuditActions.MultipartAbort, out var problem) is not { } target)
        {
            return problem!;
        }

        return UploadIdOf(context, out string uploadId) is { } idProblem
            ? idProblem
            : await OnStoreAsync(context, registry, target, 1, async (objects, key) =>
            {
                await objects.AbortUploadAsync(key, uploadId, cancellationToken);
                return Results.NoContent();
            });
    }

    private static ArtifactEndpoints.Target? Read(HttpContext context, ArtifactStoreRegistry registry, string store, string run, string action, out IResult? problem)
    {
        var target = ArtifactEndpoints.Target.Read(context, registry, store, run, pathRequired: true, out problem);
        if (target is null)
        {
            return null;
        }

        AuditFeature.Of(context).Describe(action, target.Store.Name, target.Store.Bucket, target.Run.KeyOf(target.Path!), action == AuditActions.MultipartSignParts ? "PUT" : null);
        if (target.Store.Kind != StoreKind.S3)
        {
            // A SAS cannot bind one block of an upload: each "part" URL would overwrite the whole blob.
            problem = ProblemResults.Invalid("store",
                $"'{target.Store.Name}' is an Azure container; uploads in presigned parts need an S3 store (push to it with `sluice artifacts push`)");
            return null;
        }

        return target;
    }

    private static IResult? UploadIdOf(HttpContext context, out string uploadId)
    {
        var errors = new List<FieldError>();
        uploadId = MultipartEndpoints.UploadId(context, errors)!;
        return errors.Count > 0 ? ProblemResults.Invalid(errors) : null;
    }

    /// <summary>The scope check (PUT on the file's key), then the step on the store's objects; the store's refusals as the storage API answers them.</summary>
    private static async Task<IResult> OnStoreAsync(
        HttpContext context, ArtifactStoreRegistry registry, ArtifactEndpoints.Target target, int expirationSeconds, Func<IObjectStore, string, Task<IResult>> step)
    {
        string key = target.Run.KeyOf(target.Path!);
        if (target.Deny(context, key, ObjectMethod.Put, expirationSeconds) is { } denied)
        {
            return denied;
        }

        return await ArtifactEndpoints.WithStoreAsync(context, registry, target.Store, async session =>
        {
            try
            {
                return await step(session.Client.ObjectStore, key);
            }
            catch (ObjectStoreException e) when (MultipartEndpoints.UploadRefused(context, e) is { } refused)
            {
                return refused;
            }
        });
    }
}
