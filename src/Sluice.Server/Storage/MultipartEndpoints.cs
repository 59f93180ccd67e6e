using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Sluice.Core.Accounts;
using Sluice.Core.Addressing;
using Sluice.Core.Signing;
using Sluice.Server.Audit;
using Sluice.Server.Auth;
using Sluice.Server.Hosting;
using Sluice.Server.Problems;
using Sluice.Server.Requests;
using Sluice.Core.Providers;
using Sluice.Core.Transfers;

namespace Sluice.Server.Storage;

/// <summary>
/// Presigned multipart uploads, on the storage paths with S3's own query words, under the same
/// tokens (every step needs the PUT right on the key):
/// <list type="bullet">
/// <item><c>POST /aws/storage/{account}/{bucket}?uploads</c> with <c>filename</c> (or none, for a
/// generated key) and <c>contentType</c>: starts an upload.</item>
/// <item><c>GET …/{key}?uploadId=ID&amp;partNumbers=1,2,5-8</c>: signs part URLs, as late as the
/// client likes, so a long upload never holds an expired URL.</item>
/// <item><c>GET …/{key}?uploadId=ID</c>: the parts uploaded so far (resuming after a crash).</item>
/// <item><c>POST …/{key}?uploadId=ID</c> with <c>{"parts": [{"partNumber", "etag"}]}</c>: completes.</item>
/// <item><c>DELETE …/{key}?uploadId=ID</c>: aborts, freeing the parts.</item>
/// </list>
/// Sluice makes the create, list, complete and abort calls itself with the account's credentials;
/// only the parts' bytes go straight from the client to the bucket.
/// </summary>
public static class MultipartEndpoints
{
    public const string UploadsWord = "uploads";
    public const string UploadIdParameter = "uploadId";
    public const string PartNumbersParameter = "partNumbers";
    public const long MinPartBytes = 5L * 1024 * 1024;
    public const long MaxPartBytes = 5L * 1024 * 1024 * 1024;

    private const int MaxCompleteBodyBytes = 2 * 1024 * 1024;
    private static readonly string[] CreateFields = [UploadKeyRequest.FilenameField, UploadKeyRequest.ContentTypeField, UploadKeyRequest.PrefixField];

    public static bool IsMultipart(HttpContext context) => context.Request.Query.ContainsKey(UploadIdParameter);

    public static async Task<IResult> CreateAsync(HttpContext context, StorageTarget target, SluiceOptions options, CancellationToken cancellationToken)
    {
        var body = await FieldBodyReader.ReadAsync(context.Request, options.MaxBodyBytes, cancellationToken);
        if (body.Problem is { } bodyProblem)
        {
            return bodyProblem;
        }

        var errors = body.Fields!.Keys.Where(k => !CreateFields.Contains(k))
            .Select(k => new FieldError(k, $"is not a field of a multipart upload request (known: {string.Join(", ", CreateFields)})")).ToList();
        UploadKeyRequest upload = UploadKeyRequest.Read(body.Fields, errors);
        string key = upload.Key;
        string? contentType = upload.ContentType;
        AuditFeature.Of(context).About(key: key);
        errors.AddRange(PresignEndpoints.TargetErrors(target with { Key = key }, upload.KeyField));
        if (errors.Count > 0)
        {
            return ProblemResults.Invalid(errors);
        }

        return await WithAccountAsync(context, target with { Key = key }, expirationSeconds: 1, cancellationToken, async store =>
        {
            string uploadId = await store.StartUploadAsync(key, contentType, cancellationToken);
            return Created(key, uploadId);
        });
    }

    /// <summary>The 201 of a started upload: its key and id, and the part sizes and count the store takes.</summary>
    internal static IResult Created(string key, string uploadId) =>
        Results.Json(new MultipartCreated(key, uploadId, MinPartBytes, MaxPartBytes, PartNumbers.Max), statusCode: StatusCodes.Status201Created);

    /// <summary>GET with <c>uploadId</c>: part URLs when <c>partNumbers</c> is given, the uploaded parts otherwise.</summary>
    public static Task<IResult> GetAsync(HttpContext context, StorageTarget target, CancellationToken cancellationToken) =>
        context.Request.Query.ContainsKey(PartNumbersParameter) ? SignPartsAsync(context, target, cancellationToken) : ListPartsAsync(context, target, cancellationToken);

    private static async Task<IResult> SignPartsAsync(HttpContext context, StorageTarget target, CancellationToken cancellationToken)
    {
        var errors = PresignEndpoints.TargetErrors(target, "path");
        string? uploadId = UploadId(context, errors);
        IReadOnlyList<int>? parts = PartNumbers.Parse(context.Request.Query[PartNumbersParameter], out string? partsProblem);
        if (partsProblem is not null)
        {
            errors.Add(new FieldError(PartNumbersParameter, partsProblem));
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

        if (ScopeAuthorization.Deny(context, target.Account, target.Bucket, target.Key!, ObjectMethod.Put, expiration!.Value) is { } denied)
        {
            return denied;
        }

        var (session, problem) = await SigningSession.OpenAsync(context, target.Account, expiration.Value, cancellationToken);
        if (session is null)
        {
            return problem!;
        }

        var urls = new List<PartUrl>(parts!.Count);
        foreach (int part in parts)
        {
            urls.Add(new PartUrl(part, session.SignQuietly(target.Bucket, target.Key!, ObjectMethod.Put, UploadConstraint.Part(uploadId!, part))));
        }

        session.CountBatch(ObjectMethod.Put, target.Bucket, urls.Count, target.Key);
        return Results.Ok(new PartUrls(target.Key!, uploadId!, "PUT", session.Lifetime.ExpiresAt, urls, session.Lifetime.Note));
    }

    private static async Task<IResult> ListPartsAsync(HttpContext context, StorageTarget target, CancellationToken cancellationToken)
    {
        if (UploadProblem(context, target, out string uploadId) is { } problem)
        {
            return problem;
        }

        return await WithAccountAsync(context, target, expirationSeconds: 1, cancellationToken, async store =>
        {
            var parts = await ListAsync(store, target.Key!, uploadId, cancellationToken);
            return Results.Ok(new UploadedParts(target.Key!, uploadId, parts));
        });
    }

    public static async Task<IResult> CompleteAsync(HttpContext context, StorageTarget target, CancellationToken cancellationToken)
    {
        if (UploadProblem(context, target, out string uploadId) is { } problem)
        {
            return problem;
        }

        var (requested, partsProblem) = await ReadCompletionAsync(context, cancellationToken);
        if (requested is null)
        {
            return partsProblem!;
        }

        return await WithAccountAsync(context, target, expirationSeconds: 1, cancellationToken,
            store => CompleteOnStoreAsync(context, store, target.Key!, uploadId, requested, cancellationToken));
    }

    /// <summary>The parts a completion lists (<c>{"parts": [{"partNumber", "etag"}]}</c>), or the 400 naming what is wrong.</summary>
    internal static async Task<(IReadOnlyList<StoredPart>? Parts, IResult? Problem)> ReadCompletionAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxCompleteBodyBytes;
        }

        var (text, bodyProblem) = await FieldBodyReader.ReadTextAsync(context.Request, MaxCompleteBodyBytes, cancellationToken);
        if (bodyProblem is not null)
        {
            return (null, bodyProblem);
        }

        return CompletionRequest.Parse(text!, out string? partsProblem) is { } requested
            ? (requested.Select(p => new StoredPart(p.PartNumber, p.ETag, -1)).ToList(), null)
            : (null, ProblemResults.Invalid("parts", partsProblem!));
    }

    /// <summary>Completes the upload on the store, within the token's upload size, and answers the object's key, ETag and size.</summary>
    internal static async Task<IResult> CompleteOnStoreAsync(
        HttpContext context, IObjectStore store, string key, string uploadId, IReadOnlyList<StoredPart> requested, CancellationToken cancellationToken)
    {
        // A token that limits upload size is enforced here: the parts must add up to no more.
        if (Caller.Of(context)?.Scope is { MaxUploadBytes: not null })
        {
            var stored = (await ListAsync(store, key, uploadId, cancellationToken)).ToDictionary(p => p.PartNumber, p => p.Size);
            long total = requested.Sum(p => stored.GetValueOrDefault(p.PartNumber));
            if (ScopeAuthorization.DenyUploadSize(context, total) is { } tooLarge)
            {
                return tooLarge;
            }
        }

        ObjectReceipt done = await store.CompleteUploadAsync(key, uploadId, requested, cancellationToken);
        StoredObject head = await store.HeadAsync(key, cancellationToken)
            ?? throw new ObjectStoreException(ObjectStoreFailure.Other, null, null, "the completed object is not there");
        return Results.Ok(new MultipartCompleted(key, string.IsNullOrEmpty(done.ETag) ? head.ETag : done.ETag, head.Size));
    }

    public static async Task<IResult> AbortAsync(HttpContext context, StorageTarget target, CancellationToken cancellationToken)
    {
        if (UploadProblem(context, target, out string uploadId) is { } problem)
        {
            return problem;
        }

        return await WithAccountAsync(context, target, expirationSeconds: 1, cancellationToken, async store =>
        {
            await store.AbortUploadAsync(target.Key!, uploadId, cancellationToken);
            return Results.NoContent();
        });
    }

    /// <summary>The key and <c>uploadId</c> of a request on an upload: a problem naming what is wrong, or null.</summary>
    private static IResult? UploadProblem(HttpContext context, StorageTarget target, out string uploadId)
    {
        var errors = PresignEndpoints.TargetErrors(target, "path");
        uploadId = UploadId(context, errors)!;
        return errors.Count > 0 ? ProblemResults.Invalid(errors) : null;
    }

    internal static string? UploadId(HttpContext context, List<FieldError> errors)
    {
        var values = context.Request.Query[UploadIdParameter];
        if (values is not [{ Length: > 0 and <= 1024 } id] || id.Any(char.IsControl))
        {
            errors.Add(new FieldError(UploadIdParameter, "must be given once: the uploadId the upload was started with"));
            return null;
        }

        return id;
    }

    internal static async Task<List<UploadedPart>> ListAsync(IObjectStore store, string key, string uploadId, CancellationToken cancellationToken) =>
        (await store.ListPartsAsync(key, uploadId, cancellationToken))
            .Select(p => new UploadedPart(p.PartNumber, p.ETag, Math.Max(p.Size, 0)))
            .OrderBy(p => p.PartNumber)
            .ToList();

    /// <summary>
    /// The scope check (PUT on the key), the account and its credentials, the bucket's object store
    /// with them, and the store's answers turned into problems: 404 for an unknown upload, 400 for
    /// what the store refuses in the request (a wrong ETag, parts out of order or too small), 502 for the rest.
    /// </summary>
    private static async Task<IResult> WithAccountAsync(
        HttpContext context, StorageTarget target, int expirationSeconds, CancellationToken cancellationToken, Func<IObjectStore, Task<IResult>> action)
    {
        if (ScopeAuthorization.Deny(context, target.Account, target.Bucket, target.Key!, ObjectMethod.Put, expirationSeconds) is { } denied)
        {
            return denied;
        }

        var (session, problem) = await SigningSession.OpenAsync(context, target.Account, expirationSeconds, cancellationToken);
        if (session is null)
        {
            return problem!;
        }

        using IObjectStore store = session.OpenStore(target.Bucket);
        try
        {
            return await action(store);
        }
        catch (ObjectStoreException e) when (UploadRefused(context, e) is { } refused)
        {
            return refused;
        }
        catch (Exception e) when (StoreFailures.IsStoreFailure(e, cancellationToken))
        {
            PresignLog.BucketCallFailed(context.RequestServices.GetRequiredService<PresignServices>().Logger, target.Account, target.Bucket, StoreFailures.Describe(e));
            return ProblemResults.Status(StatusCodes.Status502BadGateway, "The bucket failed", StoreFailures.Describe(e));
        }
    }

    /// <summary>What the store said about the upload as the client's problem: 404 for an unknown upload, 400 for what it refuses in the request; null for the rest (the store's failure).</summary>
    internal static IResult? UploadRefused(HttpContext context, ObjectStoreException e) => e.Failure switch
    {
        ObjectStoreFailure.NoSuchUpload => ProblemResults.Status(StatusCodes.Status404NotFound, "No such upload",
            $"The bucket has no upload '{context.Request.Query[UploadIdParameter]}' for this key (completed, aborted, or never started)."),
        ObjectStoreFailure.Refused => ProblemResults.Status(StatusCodes.Status400BadRequest, "Refused by the bucket", e.Message),
        _ => null,
    };

    /// <summary>The body of a completion: <c>{"parts": [{"partNumber": 1, "etag": "\"…\""}, …]}</c>, ascending, each part once.</summary>
    private sealed record CompletionRequest(int PartNumber, string ETag)
    {
        public static List<CompletionRequest>? Parse(string json, out string? problem)
        {
            problem = null;
            var parts = new List<CompletionRequest>();
            try
            {
                using var document = JsonDocument.Parse(json);
                if (document.RootElement.ValueKind != JsonValueKind.Object
                    || !document.RootElement.TryGetProperty("parts", out var list) || list.ValueKind != JsonValueKind.Array)
                {
                    problem = "send {\"parts\": [{\"partNumber\": 1, \"etag\": \"...\"}, ...]} as JSON";
                    return null;
                }

                foreach (var item in list.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.Object
                        || !item.TryGetProperty("partNumber", out var number) || !number.TryGetInt32(out int partNumber) || partNumber is < 1 or > PartNumbers.Max
                        || !item.TryGetProperty("etag", out var etag) || etag.GetString() is not { Length: > 0 and <= 256 } tag)
                    {
                        problem = $"item {parts.Count} must be {{\"partNumber\": 1 to {PartNumbers.Max}, \"etag\": the ETag the part's upload answered}}";
                        return null;
                    }

                    if (parts.Count > 0 && partNumber <= parts[^1].PartNumber)
                    {
                        problem = "must be in ascending partNumber order, each part once";
                        return null;
                    }

                    parts.Add(new CompletionRequest(partNumber, tag));
                }
            }
            catch (JsonException e)
            {
                problem = $"is not valid JSON ({e.Message})";
                return null;
            }

            if (parts.Count == 0)
            {
                problem = "must list at least one part";
                return null;
            }

            return parts;
        }
    }
}
