using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Sluice.Core.Accounts;
using Sluice.Core.Addressing;
using Sluice.Core.Credentials;
using Sluice.Core.Signing;
using Sluice.Server.Auth;
using Sluice.Server.Hosting;
using Sluice.Server.Observability;
using Sluice.Server.Persistence;
using Sluice.Server.Problems;
using Sluice.Server.Requests;

namespace Sluice.Server.Storage;

/// <summary>
/// The seed's storage API: <c>POST /aws/storage/{account}/{bucket}</c> with <c>filename</c>
/// signs an upload; <c>GET</c> and <c>DELETE</c> on <c>/aws/storage/{account}/{bucket}/{key}</c>
/// sign a download and a delete. Each answers <c>{"url", "method", "expiresAt"}</c>.
/// </summary>
public static class PresignEndpoints
{
    public const string FilenameField = "filename";

    public static IEndpointRouteBuilder MapPresignEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup(StorageTarget.Prefix.TrimEnd('/')).WithTags("Presigned URLs");
        group.MapPost("/{account}/{bucket}", PresignUploadAsync);
        group.MapGet("/{account}/{bucket}/{**key}", (HttpContext context, CancellationToken ct) => PresignFromPathAsync(context, S3Method.Get, ct));
        group.MapDelete("/{account}/{bucket}/{**key}", (HttpContext context, CancellationToken ct) => PresignFromPathAsync(context, S3Method.Delete, ct));
        return routes;
    }

    private static async Task<IResult> PresignUploadAsync(HttpContext context, IOptions<SluiceOptions> options, CancellationToken cancellationToken)
    {
        if (ParseTarget(context, out var problem) is not { } target)
        {
            return problem!;
        }

        var body = await FieldBodyReader.ReadAsync(context.Request, options.Value.MaxBodyBytes, cancellationToken);
        if (body.Problem is { } bodyProblem)
        {
            return bodyProblem;
        }

        var unknown = body.Fields!.Keys.Where(k => k != FilenameField).Select(k => new FieldError(k, "is not a field of an upload request (known: filename)")).ToList();
        if (unknown.Count > 0)
        {
            return ProblemResults.Invalid(unknown);
        }

        body.Fields.TryGetValue(FilenameField, out string? filename);
        if (filename is null)
        {
            return ProblemResults.Invalid(FilenameField, "is required: the object key to upload to (for example documents/report.pdf)");
        }

        return await PresignAsync(context, target with { Key = filename }, S3Method.Put, FilenameField, cancellationToken);
    }

    private static Task<IResult> PresignFromPathAsync(HttpContext context, S3Method method, CancellationToken cancellationToken) =>
        ParseTarget(context, out var problem) is { } target
            ? PresignAsync(context, target, method, "path", cancellationToken)
            : Task.FromResult(problem!);

    private static StorageTarget? ParseTarget(HttpContext context, out IResult? problem)
    {
        string rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "/";
        StorageTarget? target = StorageTarget.Parse(StorageTarget.RawPath(rawTarget), out string? pathProblem);
        problem = target is null ? ProblemResults.Invalid("path", pathProblem!) : null;
        return target;
    }

    private static async Task<IResult> PresignAsync(HttpContext context, StorageTarget target, S3Method method, string keyField, CancellationToken cancellationToken)
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

        if (ObjectKey.Problem(target.Key) is { } keyProblem)
        {
            errors.Add(new FieldError(keyField, $"(the object key) {keyProblem}"));
        }

        int? requested = ExpirationParameter.Read(context.Request.Query, out string? expirationProblem);
        if (expirationProblem is not null)
        {
            errors.Add(new FieldError(ExpirationParameter.Name, expirationProblem));
        }

        if (errors.Count > 0)
        {
            return ProblemResults.Invalid(errors);
        }

        // Not asked for: the default, but never more than the token may sign for.
        int expiration = requested ?? Math.Min(ExpirationParameter.DefaultSeconds, BearerTokenHandler.TokenOf(context)?.Scope.MaxExpirationSeconds ?? int.MaxValue);
        if (ScopeAuthorization.Deny(context, target.Account, target.Bucket, target.Key!, method, expiration) is { } denied)
        {
            return denied;
        }

        var services = context.RequestServices.GetRequiredService<PresignServices>();
        if (await services.Accounts.FindAsync(target.Account, cancellationToken) is not { } account)
        {
            return ProblemResults.AccountNotFound(target.Account);
        }

        ILogger logger = services.Logger;
        SigningCredentials credentials;
        try
        {
            credentials = (await services.Credentials.ResolveAsync(account, cancellationToken)).Credentials;
        }
        catch (CredentialsUnavailableException e)
        {
            PresignLog.CredentialsUnavailable(logger, account.Id, e.Message);
            return ProblemResults.Status(StatusCodes.Status503ServiceUnavailable, "No credentials for this account", e.Message);
        }

        DateTimeOffset now = services.Time.GetUtcNow();
        UrlLifetime lifetime = UrlLifetime.Fit(now, expiration, credentials.ExpiresAt, "account", account.Id);
        if (lifetime.Problem is { } expired)
        {
            return expired;
        }

        string url = services.Signer.Sign(account, target.Bucket, target.Key!, method, credentials, lifetime.Seconds, now);
        PresignLog.Signed(logger, method.ToHttpMethod(), account.Id, target.Bucket, lifetime.Seconds);
        services.Metrics.Signed(method.ToHttpMethod());
        return Results.Ok(new PresignResponse(url, method.ToHttpMethod(), lifetime.ExpiresAt, lifetime.Note));
    }
}
