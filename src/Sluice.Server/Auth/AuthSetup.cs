using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace Sluice.Server.Auth;

/// <summary>
/// Every endpoint needs a token unless it opts out (health); account and token management
/// need the admin scope; presign rights are checked per request against the token's scope.
/// </summary>
public static class AuthSetup
{
    public const string AdminPolicy = "admin";

    public static IServiceCollection AddSluiceAuth(this IServiceCollection services)
    {
        services.AddAuthentication(BearerTokenHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(AdminPolicy, policy => policy.RequireAuthenticatedUser().RequireClaim(BearerTokenHandler.AdminClaim, "true"));
        return services;
    }
}
