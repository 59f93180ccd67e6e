using System.Text.Json.Serialization;

namespace Sluice.Server.Auth;

/// <summary>
/// <c>GET /me</c>: who the request's credentials say the caller is and what they may sign, so a
/// client (the web console) shows only what the token may use. Never the secret.
/// </summary>
public static class CallerEndpoint
{
    public static IEndpointRouteBuilder MapCallerEndpoint(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/me", (HttpContext context) => Caller.Of(context) is { } caller
                ? Results.Ok(new CallerResponse(caller.Kind, caller.Name, TokenScopeJson.From(caller.Scope)))
                : Results.Unauthorized())
            .WithTags("Tokens");
        return routes;
    }
}

/// <summary>The caller: <c>kind</c> is <c>token</c> or <c>jwt</c>; <c>name</c> the token's name or the JWT's subject.</summary>
public sealed record CallerResponse(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("scope")] TokenScopeJson Scope);
