using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Sluice.Core.Accounts;
using Sluice.Core.Addressing;
using Sluice.Core.Credentials;
using Sluice.Core.Providers;
using Sluice.Server.Audit;
using Sluice.Server.Auth;
using Sluice.Server.Hosting;
using Sluice.Server.Persistence;
using Sluice.Server.Problems;
using Sluice.Server.Requests;
using Sluice.Server.Storage;

namespace Sluice.Server.Azure;

/// <summary>
/// Aidbox's Azure storage API: <c>POST /azure/storage/{container-id}</c> with <c>blob</c> (or none:
/// a generated name ending in <c>extension</c>, the body's or the container's) signs an upload the
/// client sends with <c>x-ms-blob-type: BlockBlob</c>; <c>GET</c> and <c>DELETE
/// /azure/storage/{container-id}/{blob}</c> sign a download and a delete. <c>?expiration=</c>
/// (default 1800 s, as Aidbox), <c>?redirect=true</c> on a download.
/// <para>
/// With workload identity on, <c>/azure/storage/{storage-account}/{container}[/{blob}]</c> signs with it,
/// no resource needed. The two forms overlap; the rule: <b>a first segment that is an
/// AzureContainer's id is always that container</b>, and only a first segment that names none is read
/// as a storage account. Token scopes name the AzureContainer id (or, for the workload form, the
/// storage account) in <c>accounts</c>, the container in <c>buckets</c>, and match blob names with
/// <c>prefixes</c>.
/// </para>
/// </summary>
public static class AzureStorageEndpoints
{
    public const int DefaultExpirationSeconds = 1800;
    public const string BlobField = "blob";
    public const string ExtensionField = "extension";

    /// <summary>What the client must send with the PUT, said in the answer's <c>headers</c>.</summary>
    public static readonly IReadOnlyDictionary<string, string> UploadHeaders = new Dictionary<string, string> { ["x-ms-blob-type"] = "BlockBlob" };

    public static IEndpointRouteBuilder MapAzureStorageEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup(AzureStorageTarget.Prefix.TrimEnd('/')).WithTags("Azure");
        group.MapPost("/{first}", UploadAsync);
        group.MapPost("/{first}/{**rest}", UploadAsync);
        group.MapGet("/{first}/{**rest}", (HttpContext context, CancellationToken ct) => PresignAsync(context, ObjectMethod.Get, ct));
        group.MapDelete("/{first}/{**rest}", (HttpContext context, CancellationToken ct) => PresignAsync(context, ObjectMethod.Delete, ct));
        return routes;
    }

    /// <summary>Where a request's URL points, what its scope is checked against, and the extension of a name generated there.</summary>
    private sealed record Resolved(string ScopeAccount, string Container, string? Blob, string? Extension, Func<CancellationToken, Task<IUrlSigner>> SignerAsync);

    private static async Task<IResult> PresignAsync(HttpContext context, ObjectMethod method, CancellationToken cancellationToken)
    {
        AuditFeature audit = AuditFeature.Of(context).Describe(AuditActions.Presign, method: method.ToHttpMethod());
        if (Parse(context, out IResult? problem) is not { } target)
        {
            return problem!;
        }

        var errors = new List<FieldError>();
        int? expiration = SigningSession.RequestedExpiration(context, out FieldError? expirationProblem, DefaultExpirationSeconds);
        Add(errors, expirationProblem);
        bool redirect = false;
        if (method == ObjectMethod.Get)
        {
            redirect = RedirectParameter.Read(context.Request.Query, out FieldError? redirectProblem);
            Add(errors, redirectProblem);
        }

        if (target.Rest is null)
        {
            return ProblemResults.Invalid("path", "must name a blob: /azure/storage/{container-id}/{blob}");
        }

        var (resolved, notFound) = await ResolveAsync(context, target, blobExpected: true, errors, cancellationToken);
        if (resolved is null)
        {
            return notFound ?? ProblemResults.Invalid(errors);
        }

        audit.About(resolved.ScopeAccount, resolved.Container, resolved.Blob);
        if (errors.Count > 0)
        {
            return ProblemResults.Invalid(errors);
        }

        if (ScopeAuthorization.Deny(context, resolved.ScopeAccount, resolved.Container, resolved.Blob!, method, expiration!.Value) is { } denied)
        {
            return denied;
        }

        var (session, sessionProblem) = await StartAsync(context, resolved, expiration.Value, cancellationToken);
        if (session is null)
        {
            return sessionProblem!;
        }

        string url = session.Sign(resolved.Container, resolved.Blob!, method);
        return redirect ? Results.Redirect(url) : Results.Ok(session.Response(url, method));
    }

    private static async Task<IResult> UploadAsync(HttpContext context, IOptions<SluiceOptions> options, CancellationToken cancellationToken)
    {
        AuditFeature audit = AuditFeature.Of(context).Describe(AuditActions.Presign, method: "PUT");
        if (Parse(context, out IResult? problem) is not { } target)
        {
            return problem!;
        }

        if (target.Rest is { } rest && rest.Contains('/'))
        {
            context.Response.Headers.Allow = "GET, DELETE";
            return ProblemResults.Status(StatusCodes.Status405MethodNotAllowed, "Method not allowed",
                "To sign an upload, POST to /azure/storage/{container-id} (or /azure/storage/{storage-account}/{container}) with blob in the body.");
        }

        var body = await FieldBodyReader.ReadAsync(context.Request, options.Value.MaxBodyBytes, cancellationToken);
        if (body.Problem is { } bodyProblem)
        {
            return bodyProblem;
        }

        var errors = body.Fields!.Keys.Where(k => k is not (BlobField or ExtensionField))
            .Select(k => new FieldError(k, $"is not a field of an upload request (known: {BlobField}, {ExtensionField})")).ToList();
        int? expiration = SigningSession.RequestedExpiration(context, out FieldError? expirationProblem, DefaultExpirationSeconds);
        Add(errors, expirationProblem);
        body.Fields.TryGetValue(BlobField, out string? blob);
        body.Fields.TryGetValue(ExtensionField, out string? extension);
        if (body.Fields.ContainsKey(BlobField) && blob is null)
        {
            errors.Add(new FieldError(BlobField, "is empty: give the blob's name, or leave the field out for a name Sluice generates"));
        }
        else if (blob is not null && extension is not null)
        {
            errors.Add(new FieldError(ExtensionField, "goes only with a generated name: give blob or extension, not both"));
        }

        if (extension is not null && (extension.TrimStart('.') is not { Length: >= 1 and <= 16 } trimmed || !trimmed.All(char.IsAsciiLetterOrDigit)))
        {
            errors.Add(new FieldError(ExtensionField, "must be 1 to 16 letters and digits, such as png"));
        }

        var (resolved, notFound) = await ResolveAsync(context, target, blobExpected: false, errors, cancellationToken);
        if (resolved is null)
        {
            return notFound ?? ProblemResults.Invalid(errors);
        }

        string? generated = null;
        if (blob is null)
        {
            string? ending = extension?.TrimStart('.') ?? resolved.Extension;
            generated = GeneratedKey.New(null, null) + (ending is null ? "" : "." + ending);
        }
        else if (BlobName.Problem(blob) is { } blobProblem)
        {
            errors.Add(new FieldError(BlobField, $"(the blob's name) {blobProblem}"));
        }

        resolved = resolved with { Blob = blob ?? generated };
        audit.About(resolved.ScopeAccount, resolved.Container, resolved.Blob);
        if (errors.Count > 0)
        {
            return ProblemResults.Invalid(errors);
        }

        if (ScopeAuthorization.Deny(context, resolved.ScopeAccount, resolved.Container, resolved.Blob!, ObjectMethod.Put, expiration!.Value) is { } denied)
        {
            return denied;
        }

        var (session, sessionProblem) = await StartAsync(context, resolved, expiration.Value, cancellationToken);
        if (session is null)
        {
            return sessionProblem!;
        }

        string url = session.Sign(resolved.Container, resolved.Blob!, ObjectMethod.Put);
        return Results.Ok(session.Response(url, ObjectMethod.Put, generated) with { Headers = UploadHeaders });
    }

    private static AzureStorageTarget? Parse(HttpContext context, out IResult? problem)
    {
        string rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "/";
        AzureStorageTarget? target = AzureStorageTarget.Parse(StorageTarget.RawPath(rawTarget), out string? pathProblem);
        problem = target is null ? ProblemResults.Invalid("path", pathProblem!) : null;
        return target;
    }

    /// <summary>
    /// The container-id form when the first segment is an AzureContainer's id, else the workload
    /// form when it is on; the blob checked when <paramref name="blobExpected"/>. Null with a 404, or
    /// with the problems added to <paramref name="errors"/>.
    /// </summary>
    private static async Task<(Resolved? Resolved, IResult? NotFound)> ResolveAsync(
        HttpContext context, AzureStorageTarget target, bool blobExpected, List<FieldError> errors, CancellationToken cancellationToken)
    {
        var signers = context.RequestServices.GetRequiredService<AzureSigners>();
        if (await ContainerAsync(context, target.First, cancellationToken) is { } container)
        {
            if (blobExpected && BlobName.Problem(target.Rest) is { } blobProblem)
            {
                errors.Add(new FieldError(BlobField, $"(the blob's name) {blobProblem}"));
            }

            if (!blobExpected && target.Rest is not null)
            {
                return (null, ProblemResults.Invalid("path", "an upload is POSTed to /azure/storage/{container-id}, with blob in the body"));
            }

            var store = context.RequestServices.GetRequiredService<IAzureResourceStore>();
            return (new Resolved(container.Id, container.Container, target.Rest, container.Extension, async ct =>
                await store.FindAccountAsync(container.AccountId, ct) is { } account
                    ? await signers.ForContainerAsync(account, container, ct)
                    : throw new CredentialSourceException($"AzureContainer '{container.Id}' names AzureAccount '{container.AccountId}', which does not exist")), null);
        }

        bool workload = context.RequestServices.GetRequiredService<IOptions<SluiceOptions>>().Value.AzureWorkloadIdentity;
        if (!workload || target.Rest is null)
        {
            return (null, ProblemResults.Status(StatusCodes.Status404NotFound, "AzureContainer not found", workload
                ? $"No AzureContainer with id '{target.First}' (a storage account's path names its container too: /azure/storage/{{storage-account}}/{{container}}/…)."
                : $"No AzureContainer with id '{target.First}' (workload identity is off: SLUICE_AZURE_WORKLOAD_IDENTITY)."));
        }

        var (containerName, blob) = target.SplitRest();
        if (StorageAccountName.Problem(target.First) is { } storageProblem)
        {
            errors.Add(new FieldError("storage", $"'{target.First}' names no AzureContainer, and as a storage account it {storageProblem}"));
        }

        if (ContainerName.Problem(containerName) is { } containerProblem)
        {
            errors.Add(new FieldError("container", containerProblem));
        }

        if (blobExpected && BlobName.Problem(blob) is { } workloadBlobProblem)
        {
            errors.Add(new FieldError(BlobField, $"(the blob's name) {workloadBlobProblem}"));
        }

        if (!blobExpected && blob is not null)
        {
            return (null, ProblemResults.Invalid("path", "an upload is POSTed to /azure/storage/{storage-account}/{container}, with blob in the body"));
        }

        string storage = target.First;
        return (new Resolved(storage, containerName, blob, null, ct => signers.ForWorkloadAsync(storage, ct)), null);
    }

    private static async Task<Core.Accounts.Azure.AzureContainer?> ContainerAsync(HttpContext context, string id, CancellationToken cancellationToken) =>
        AccountId.Problem(id) is null
            ? await context.RequestServices.GetRequiredService<IAzureResourceStore>().FindContainerAsync(id, cancellationToken)
            : null;

    /// <summary>The signer (a user delegation key may be fetched), and the session on it; or the 503 that says why not.</summary>
    private static async Task<(SigningSession? Session, IResult? Problem)> StartAsync(HttpContext context, Resolved resolved, int expirationSeconds, CancellationToken cancellationToken)
    {
        IUrlSigner signer;
        try
        {
            signer = await resolved.SignerAsync(cancellationToken);
        }
        catch (CredentialSourceException e)
        {
            AzureLog.NoSigner(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Sluice.Azure"), resolved.ScopeAccount, e.Message);
            context.Response.Headers.RetryAfter = "10";
            return (null, ProblemResults.Status(StatusCodes.Status503ServiceUnavailable, "No credentials for this container", e.Message));
        }

        return SigningSession.Start(context, resolved.ScopeAccount, signer, expirationSeconds, "container");
    }

    private static void Add(List<FieldError> errors, FieldError? error)
    {
        if (error is not null)
        {
            errors.Add(error);
        }
    }
}
