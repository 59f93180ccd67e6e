using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Sluice.Core.Identities;
using Sluice.Server.Auth.Jwt;

namespace Sluice.Server.Auth;

/// <summary>
/// Every endpoint needs a caller unless it opts out (health): a Sluice token, or a JWT from one of
/// the trusted issuers (<c>Sluice:IdentitiesConfig</c>). Account and token management need the
/// admin scope, which only Sluice tokens can hold; presign rights are checked per request against
/// the caller's scope.
/// </summary>
public static class AuthSetup
{
    public const string AdminPolicy = "admin";

    public static IServiceCollection AddSluiceAuth(this IServiceCollection services, IReadOnlyList<TrustedIssuer> issuers)
    {
        // The token handler is the scheme; it forwards a trusted issuer's JWT to that issuer's scheme.
        var authentication = services.AddAuthentication(BearerTokenHandler.SchemeName);
        Func<HttpContext, string?>? forward = issuers.Count > 0 ? authentication.AddTrustedIssuers(issuers) : null;
        authentication.AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, options => options.ForwardDefaultSelector = forward);

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(AdminPolicy, policy => policy.RequireAuthenticatedUser().RequireClaim(BearerTokenHandler.AdminClaim, "true"));
        return services;
    }
}
