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

namespace Sluice.Server.Storage;

/// <summary>
/// The seed's storage API: <c>POST /aws/storage/{account}/{bucket}</c> with <c>filename</c>
/// signs an upload (without one, Sluice generates the key); <c>GET</c> and <c>DELETE</c> on
/// <c>/aws/storage/{account}/{bucket}/{key}</c> sign a download and a delete. Each answers
/// <c>{"url", "method", "expiresAt"}</c>; <c>GET …?redirect=true</c> answers 302 to the URL.
/// As S3 does, a query word picks the other operations on the same paths: <c>POST …?batch</c>
/// (<see cref="BatchPresignEndpoint"/>), <c>?uploads</c> and <c>?uploadId=</c> (<see cref="MultipartEndpoints"/>),
/// <c>POST …?form</c> (<see cref="UploadFormEndpoint"/>).
/// </summary>
public static class PresignEndpoints
{
    public const string ContentLengthField = "contentLength";

    private static readonly string[] UploadFields =
        [UploadKeyRequest.FilenameField, UploadKeyRequest.ContentTypeField, ContentLengthField, UploadKeyRequest.PrefixField];

    public static IEndpointRouteBuilder MapPresignEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup(StorageTarget.Prefix.TrimEnd('/')).WithTags("Presigned URLs");
        group.MapPost("/{account}/{bucket}", PostAsync);
        group.MapPost("/{account}/{bucket}/{**key}", PostToKeyAsync);
        group.MapGet("/{account}/{bucket}/{**key}", (HttpContext context, CancellationToken ct) => PresignFromPathAsync(context, ObjectMethod.Get, ct));
        group.MapDelete("/{account}/{bucket}/{**key}", (HttpContext context, CancellationToken ct) => PresignFromPathAsync(context, ObjectMethod.Delete, ct));
        return routes;
    }

    private static Task<IResult> PostAsync(HttpContext context, IOptions<SluiceOptions> options, CancellationToken cancellationToken)
    {
        if (ParseTarget(context, out var problem) is not { } target)
        {
            return Task.FromResult(problem!);
        }

        var query = context.Request.Query;
        return query.ContainsKey(BatchPresignEndpoint.QueryWord) ? BatchPresignEndpoint.SignAsync(context, target, cancellationToken)
            : query.ContainsKey(MultipartEndpoints.UploadsWord) ? MultipartEndpoints.CreateAsync(context, target, options.Value, cancellationToken)
            : query.ContainsKey(UploadFormEndpoint.QueryWord) ? UploadFormEndpoint.SignAsync(context, target, options.Value, cancellationToken)
            : PresignUploadAsync(context, target, options.Value, cancellationToken);
    }

    /// <summary>POST on a key completes a multipart upload; nothing else is POSTed to a key.</summary>
    private static Task<IResult> PostToKeyAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (!MultipartEndpoints.IsMultipart(context))
        {
            context.Response.Headers.Allow = "GET, DELETE";
            return Task.FromResult(ProblemResults.Status(StatusCodes.Status405MethodNotAllowed, "Method not allowed",
                "POST on a key completes a multipart upload (?uploadId=); to sign an upload, POST to /aws/storage/{account}/{bucket} with filename."));
        }

        return ParseTarget(context, out var problem) is { } target
            ? MultipartEndpoints.CompleteAsync(context, target, cancellationToken)
            : Task.FromResult(problem!);
    }

    private static async Task<IResult> PresignUploadAsync(HttpContext context, StorageTarget target, SluiceOptions options, CancellationToken cancellationToken)
    {
        var body = await FieldBodyReader.ReadAsync(context.Request, options.MaxBodyBytes, cancellationToken);
        if (body.Problem is { } bodyProblem)
        {
            return bodyProblem;
        }

        var errors = body.Fields!.Keys.Where(k => !UploadFields.Contains(k))
            .Select(k => new FieldError(k, $"is not a field of an upload request (known: {string.Join(", ", UploadFields)})")).ToList();
        UploadKeyRequest upload = UploadKeyRequest.Read(body.Fields, errors);
        long? contentLength = UploadSizeField.Read(
            body.Fields, ContentLengthField, $"must be the upload's size in bytes, 0 to {UploadSizeField.MaxBytes} (larger objects go multipart)", errors);

        if (errors.Count > 0)
        {
            return ProblemResults.Invalid(errors);
        }

        // A declared type and size are signed: the bucket then refuses an upload that differs.
        var constraint = new UploadConstraint(ContentType: upload.ContentType, ContentLength: contentLength);
        return await PresignAsync(context, target with { Key = upload.Key }, ObjectMethod.Put, upload.KeyField, upload.GeneratedKey, cancellationToken, constraint);
    }

    private static Task<IResult> PresignFromPathAsync(HttpContext context, ObjectMethod method, CancellationToken cancellationToken)
    {
        if (ParseTarget(context, out var problem) is not { } target)
        {
            return Task.FromResult(problem!);
        }

        if (MultipartEndpoints.IsMultipart(context))
        {
            return method == ObjectMethod.Get ? MultipartEndpoints.GetAsync(context, target, cancellationToken) : MultipartEndpoints.AbortAsync(context, target, cancellationToken);
        }

        return PresignAsync(context, target, method, "path", null, cancellationToken);
    }

    private static StorageTarget? ParseTarget(HttpContext context, out IResult? problem)
    {
        string rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "/";
        StorageTarget? target = StorageTarget.Parse(StorageTarget.RawPath(rawTarget), out string? pathProblem);
        problem = target is null ? ProblemResults.Invalid("path", pathProblem!) : null;
        var (action, urlMethod) = AuditedAction(context);
        AuditFeature.Of(context).Describe(action, target?.Account, target?.Bucket, target?.Key, urlMethod);
        return target;
    }

    /// <summary>What a request on the storage paths asks, by its method and query word, and the method of the URLs it would sign.</summary>
    private static (string Action, string? UrlMethod) AuditedAction(HttpContext context)
    {
        var query = context.Request.Query;
        bool upload = query.ContainsKey(MultipartEndpoints.UploadIdParameter);
        return context.Request.Method switch
        {
            "POST" when query.ContainsKey(BatchPresignEndpoint.QueryWord) => (AuditActions.PresignBatch, null),
            "POST" when query.ContainsKey(MultipartEndpoints.UploadsWord) => (AuditActions.MultipartCreate, null),
            "POST" when query.ContainsKey(UploadFormEndpoint.QueryWord) => (AuditActions.UploadForm, "PUT"),
            "POST" when upload => (AuditActions.MultipartComplete, null),
            "POST" => (AuditActions.Presign, "PUT"),
            "GET" when upload && query.ContainsKey(MultipartEndpoints.PartNumbersParameter) => (AuditActions.MultipartSignParts, "PUT"),
            "GET" when upload => (AuditActions.MultipartList, null),
            "DELETE" when upload => (AuditActions.MultipartAbort, null),
            "DELETE" => (AuditActions.Presign, "DELETE"),
            _ => (AuditActions.Presign, "GET"),
        };
    }

    /// <summary>The account and bucket checks every request shares, and the key's when <paramref name="keyField"/> names where it came from.</summary>
    public static List<FieldError> TargetErrors(StorageTarget target, string? keyField)
    {
        var errors = new List<FieldError>();
        if (AccountId.Problem(target.Account) is { } accountProblem)
        {
            errors.Add(new FieldError("account", accountProblem));
        }

        if (BucketName.Problem(target.Bucket) is { } bucketProblem)
        {
            errors.Add(new FieldError("bucket", bucketProblem));
        }

        if (keyField is not null && ObjectKey.Problem(target.Key) is { } keyProblem)
        {
            errors.Add(new FieldError(keyField, $"(the object key) {keyProblem}"));
        }

        return errors;
    }

    private static async Task<IResult> PresignAsync(
        HttpContext context, StorageTarget target, ObjectMethod method, string keyField, string? generatedKey, CancellationToken cancellationToken, UploadConstraint constraint = default)
    {
        AuditFeature.Of(context).About(key: target.Key);
        var errors = TargetErrors(target, keyField);
        int? expiration = SigningSession.RequestedExpiration(context, out FieldError? expirationProblem);
        if (expirationProblem is not null)
        {
            errors.Add(expirationProblem);
        }

        bool redirect = false;
        if (method == ObjectMethod.Get)
        {
            redirect = RedirectParameter.Read(context.Request.Query, out FieldError? redirectProblem);
            if (redirectProblem is not null)
            {
                errors.Add(redirectProblem);
            }
        }

        if (errors.Count > 0)
        {
            return ProblemResults.Invalid(errors);
        }

        if ((ScopeAuthorization.Deny(context, target.Account, target.Bucket, target.Key!, method, expiration!.Value)
            ?? (method == ObjectMethod.Put ? ScopeAuthorization.DenyUploadSize(context, constraint.ContentLength) : null)) is { } denied)
        {
            return denied;
        }

        var (session, problem) = await SigningSession.OpenAsync(context, target.Account, expiration.Value, cancellationToken);
        if (session is null)
        {
            return problem!;
        }

        string url = session.Sign(target.Bucket, target.Key!, method, constraint);
        return redirect ? Results.Redirect(url) : Results.Ok(session.Response(url, method, generatedKey, constraint));
    }
}
