using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Sluice.Core.Access;
using Sluice.Server.Auth.Jwt;
using Sluice.Server.Persistence;

namespace Sluice.Server.Auth;

/// <summary>
/// <c>Authorization: Bearer &lt;token&gt;</c>: the secret is hashed and looked up, and a revoked or
/// expired token is refused. No token or an unknown one gets a 401, and a token outside its
/// scope gets a 403. Both come with a problem body that says why.
/// </summary>
public sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ITokenStore tokens,
    TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "SluiceToken";
    public const string AdminClaim = "sluice:admin";
    private const string FailureKey = "sluice:auth-failure";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return Fail("no Authorization header; send Authorization: Bearer <token>");
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= 7)
        {
            return Fail("the Authorization header must be Bearer <token>");
        }

        string secret = header[7..].Trim();
        byte[] hash = TokenSecret.Hash(secret);
        AccessToken? token = await tokens.FindBySecretHashAsync(hash, Context.RequestAborted);
        if (token is null)
        {
            return Fail(JwtShape.IssuerOf(secret) is { } issuer
                ? $"the token is a JWT from '{JwtShape.Shown(issuer)}', which is not a trusted issuer (Sluice:IdentitiesConfig)"
                : "unknown token");
        }

        if (token.Unusable(time.GetUtcNow()) is { } reason)
        {
            return Fail(reason);
        }

        Caller.ForToken(token).AttachTo(Context);
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, token.Id), new Claim(ClaimTypes.Name, token.Name), new Claim(AdminClaim, token.Scope.Admin ? "true" : "false")],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        string reason = Context.Items[FailureKey] as string ?? "a valid token is required";
        return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Authentication required", detail: reason).ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: "this needs a token with the admin scope").ExecuteAsync(Context);

    private AuthenticateResult Fail(string reason)
    {
        Context.Items[FailureKey] = reason;
        return AuthenticateResult.Fail(reason);
    }
}
