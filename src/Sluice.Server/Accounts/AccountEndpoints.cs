using Sluice.Core.Accounts;
using Sluice.Server.Audit;
using Sluice.Server.Auth;
using Sluice.Server.Hosting;
using Sluice.Server.Persistence;
using Sluice.Server.Problems;
using Sluice.Server.Requests;
using Microsoft.Extensions.Options;

namespace Sluice.Server.Accounts;

/// <summary><c>/AwsAccount</c>: create or replace, read, list and delete accounts.</summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/AwsAccount").WithTags("Accounts").RequireAuthorization(AuthSetup.AdminPolicy);
        group.MapPut("/{id}", PutAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapGet("/", ListAsync);
        group.MapDelete("/{id}", DeleteAsync);
        return routes;
    }

    private static async Task<IResult> PutAsync(string id, HttpRequest request, IAccountStore store, IOptions<SluiceOptions> options, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        AuditFeature.Of(request.HttpContext).Describe(AuditActions.AccountPut, account: id).Changed(id);
        var body = await FieldBodyReader.ReadAsync(request, options.Value.MaxBodyBytes, cancellationToken);
        if (body.Problem is { } problem)
        {
            return problem;
        }

        ILogger logger = loggers.CreateLogger("Sluice.Accounts");
        AwsAccount? account = AwsAccountReader.Read(id, body.Fields!, out var errors);
        if (account is null)
        {
            AccountLog.Refused(logger, ClientText.Printable(id), string.Join(", ", errors.Select(e => ClientText.Printable(e.Field)).Distinct()));
            return ProblemResults.Invalid(errors);
        }

        bool created = await store.PutAsync(account, cancellationToken);
        AccountLog.Saved(logger, account.Id, created ? "created" : "replaced", account.Region, account.HasExplicitKeys ? "access-keys" : "default-chain");
        var response = AccountResponse.From(account);
        return created ? Results.Created($"/AwsAccount/{account.Id}", response) : Results.Ok(response);
    }

    private static async Task<IResult> GetAsync(string id, IAccountStore store, CancellationToken cancellationToken)
    {
        if (AccountId.Problem(id) is { } idProblem)
        {
            return ProblemResults.Invalid("id", idProblem);
        }

        return await store.FindAsync(id, cancellationToken) is { } account
            ? Results.Ok(AccountResponse.From(account))
            : ProblemResults.AccountNotFound(id);
    }

    private static async Task<IResult> ListAsync(IAccountStore store, CancellationToken cancellationToken)
    {
        var accounts = await store.ListAsync(cancellationToken);
        return Results.Ok(new AccountListResponse(accounts.Select(AccountResponse.From).ToList()));
    }

    private static async Task<IResult> DeleteAsync(string id, HttpContext context, IAccountStore store, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        AuditFeature.Of(context).Describe(AuditActions.AccountDelete, account: id).Changed(id);
        if (AccountId.Problem(id) is { } idProblem)
        {
            return ProblemResults.Invalid("id", idProblem);
        }

        if (!await store.DeleteAsync(id, cancellationToken))
        {
            return ProblemResults.AccountNotFound(id);
        }

        AccountLog.Deleted(loggers.CreateLogger("Sluice.Accounts"), id);
        return Results.NoContent();
    }
}
