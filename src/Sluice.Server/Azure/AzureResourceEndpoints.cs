using Microsoft.Extensions.Options;
using Sluice.Core.Accounts;
using Sluice.Core.Accounts.Azure;
using Sluice.Server.Audit;
using Sluice.Server.Auth;
using Sluice.Server.Hosting;
using Sluice.Server.Persistence;
using Sluice.Server.Problems;
using Sluice.Server.Requests;

namespace Sluice.Server.Azure;

/// <summary>
/// <c>/AzureAccount</c> and <c>/AzureContainer</c>, as <c>/AwsAccount</c> is: create or replace
/// (PUT, YAML or JSON in Aidbox's shapes), read, list and delete; admin only. A container must name
/// an account that exists.
/// </summary>
public static class AzureResourceEndpoints
{
    public static IEndpointRouteBuilder MapAzureResourceEndpoints(this IEndpointRouteBuilder routes)
    {
        var accounts = routes.MapGroup("/AzureAccount").WithTags("Azure").RequireAuthorization(AuthSetup.AdminPolicy);
        accounts.MapPut("/{id}", PutAccountAsync);
        accounts.MapGet("/{id}", async (string id, IAzureResourceStore store, CancellationToken ct) =>
            AccountId.Problem(id) is { } problem ? ProblemResults.Invalid("id", problem)
            : await store.FindAccountAsync(id, ct) is { } account ? Results.Ok(AzureAccountResponse.From(account))
            : NotFound("AzureAccount", id));
        accounts.MapGet("/", async (IAzureResourceStore store, CancellationToken ct) =>
            Results.Ok(new AzureResourceListResponse<AzureAccountResponse>((await store.ListAccountsAsync(ct)).Select(AzureAccountResponse.From).ToList())));
        accounts.MapDelete("/{id}", (string id, HttpContext context, IAzureResourceStore store, ILoggerFactory loggers, CancellationToken ct) =>
            DeleteAsync("AzureAccount", id, context, store.DeleteAccountAsync, loggers, ct));

        var containers = routes.MapGroup("/AzureContainer").WithTags("Azure").RequireAuthorization(AuthSetup.AdminPolicy);
        containers.MapPut("/{id}", PutContainerAsync);
        containers.MapGet("/{id}", async (string id, IAzureResourceStore store, CancellationToken ct) =>
            AccountId.Problem(id) is { } problem ? ProblemResults.Invalid("id", problem)
            : await store.FindContainerAsync(id, ct) is { } container ? Results.Ok(AzureContainerResponse.From(container))
            : NotFound("AzureContainer", id));
        containers.MapGet("/", async (IAzureResourceStore store, CancellationToken ct) =>
            Results.Ok(new AzureResourceListResponse<AzureContainerResponse>((await store.ListContainersAsync(ct)).Select(AzureContainerResponse.From).ToList())));
        containers.MapDelete("/{id}", (string id, HttpContext context, IAzureResourceStore store, ILoggerFactory loggers, CancellationToken ct) =>
            DeleteAsync("AzureContainer", id, context, store.DeleteContainerAsync, loggers, ct));
        return routes;
    }

    public static IResult NotFound(string resourceType, string id) =>
        ProblemResults.Status(StatusCodes.Status404NotFound, $"{resourceType} not found", $"No {resourceType} with id '{id}'.");

    private static async Task<IResult> PutAccountAsync(string id, HttpRequest request, IAzureResourceStore store, IOptions<SluiceOptions> options, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        AuditFeature.Of(request.HttpContext).Describe(AuditActions.AccountPut, account: "AzureAccount/" + id).Changed(id);
        var body = await FieldBodyReader.ReadAsync(request, options.Value.MaxBodyBytes, cancellationToken);
        if (body.Problem is { } problem)
        {
            return problem;
        }

        ILogger logger = loggers.CreateLogger("Sluice.Azure");
        if (AzureAccountReader.Read(id, body.Fields!, out var errors) is not { } account)
        {
            AzureLog.Refused(logger, "AzureAccount", ClientText.Printable(id), string.Join(", ", errors.Select(e => ClientText.Printable(e.Field)).Distinct()));
            return ProblemResults.Invalid(errors);
        }

        bool created = await store.PutAsync(account, cancellationToken);
        AzureLog.Saved(logger, "AzureAccount", id, created ? "created" : "replaced");
        var response = AzureAccountResponse.From(account);
        return created ? Results.Created($"/AzureAccount/{id}", response) : Results.Ok(response);
    }

    private static async Task<IResult> PutContainerAsync(string id, HttpRequest request, IAzureResourceStore store, IOptions<SluiceOptions> options, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        AuditFeature.Of(request.HttpContext).Describe(AuditActions.AccountPut, account: "AzureContainer/" + id).Changed(id);
        var body = await FieldBodyReader.ReadAsync(request, options.Value.MaxBodyBytes, cancellationToken, allowReferences: true);
        if (body.Problem is { } problem)
        {
            return problem;
        }

        ILogger logger = loggers.CreateLogger("Sluice.Azure");
        AzureContainer? container = AzureContainerReader.Read(id, body.Fields!, out var errors);
        if (container is not null && await store.FindAccountAsync(container.AccountId, cancellationToken) is null)
        {
            errors = [new FieldError(AzureContainerReader.AccountIdField, $"names no AzureAccount: create AzureAccount '{container.AccountId}' first")];
            container = null;
        }

        if (container is null)
        {
            AzureLog.Refused(logger, "AzureContainer", ClientText.Printable(id), string.Join(", ", errors.Select(e => ClientText.Printable(e.Field)).Distinct()));
            return ProblemResults.Invalid(errors);
        }

        bool created = await store.PutAsync(container, cancellationToken);
        AzureLog.Saved(logger, "AzureContainer", id, created ? "created" : "replaced");
        var response = AzureContainerResponse.From(container);
        return created ? Results.Created($"/AzureContainer/{id}", response) : Results.Ok(response);
    }

    private static async Task<IResult> DeleteAsync(
        string resourceType, string id, HttpContext context, Func<string, CancellationToken, Task<bool>> delete, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        AuditFeature.Of(context).Describe(AuditActions.AccountDelete, account: $"{resourceType}/{id}").Changed(id);
        if (AccountId.Problem(id) is { } idProblem)
        {
            return ProblemResults.Invalid("id", idProblem);
        }

        if (!await delete(id, cancellationToken))
        {
            return NotFound(resourceType, id);
        }

        AzureLog.Deleted(loggers.CreateLogger("Sluice.Azure"), resourceType, id);
        return Results.NoContent();
    }
}
