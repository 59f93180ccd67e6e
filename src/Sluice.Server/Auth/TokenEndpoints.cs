using Microsoft.Extensions.Options;
using Sluice.Core.Access;
using Sluice.Server.Audit;
using Sluice.Server.Hosting;
using Sluice.Server.Persistence;
using Sluice.Server.Problems;
using Sluice.Server.Requests;

namespace Sluice.Server.Auth;

/// <summary><c>/tokens</c> (admin): create (the secret is shown once), list, and revoke access tokens.</summary>
public static class TokenEndpoints
{
    public static IEndpointRouteBuilder MapTokenEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/tokens").WithTags("Tokens").RequireAuthorization(AuthSetup.AdminPolicy);
        group.MapPost("/", CreateAsync);
        group.MapGet("/", ListAsync);
        group.MapDelete("/{id}", RevokeAsync);
        return routes;
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, ITokenStore tokens, TimeProvider time, IOptions<SluiceOptions> options, CancellationToken cancellationToken)
    {
        AuditFeature audit = AuditFeature.Of(request.HttpContext).Describe(AuditActions.TokenCreate);
        var body = await FieldBodyReader.ReadAsync(request, options.Value.MaxBodyBytes, cancellationToken, allowLists: true);
        if (body.Problem is { } problem)
        {
            return problem;
        }

        if (TokenRequestReader.Read(body, out var errors) is not { } tokenRequest)
        {
            return ProblemResults.Invalid(errors);
        }

        DateTimeOffset now = time.GetUtcNow();
        string secret = TokenSecret.Generate();
        var token = new AccessToken(
            TokenSecret.NewId(), tokenRequest.Name, tokenRequest.Scope, now, tokenRequest.ExpiresInSeconds is { } seconds ? now.AddSeconds(seconds) : null, null);
        await tokens.CreateAsync(token, TokenSecret.Hash(secret), cancellationToken);
        audit.Changed(token.Id);
        return Results.Created($"/tokens/{token.Id}", TokenResponse.From(token, secret));
    }

    private static async Task<IResult> ListAsync(ITokenStore tokens, CancellationToken cancellationToken) =>
        Results.Ok(new TokenListResponse((await tokens.ListAsync(cancellationToken)).Select(t => TokenResponse.From(t)).ToList()));

    private static async Task<IResult> RevokeAsync(string id, HttpContext context, ITokenStore tokens, TimeProvider time, CancellationToken cancellationToken)
    {
        AuditFeature.Of(context).Describe(AuditActions.TokenRevoke).Changed(id);
        return await tokens.RevokeAsync(id, time.GetUtcNow(), cancellationToken)
            ? Results.NoContent()
            : ProblemResults.Status(StatusCodes.Status404NotFound, "Token not found", $"No token with id '{id}'.");
    }
}
