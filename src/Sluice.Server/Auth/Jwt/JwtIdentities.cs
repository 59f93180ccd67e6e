using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;
using Sluice.Core.Identities;

namespace Sluice.Server.Auth.Jwt;

/// <summary>
/// One JWT bearer scheme per trusted issuer (validation by ASP.NET Core's handler and
/// Microsoft.IdentityModel, keys from <see cref="IssuerKeys"/>, verified tokens kept in
/// <see cref="VerifiedTokens"/>), and the choice <see cref="BearerTokenHandler"/> forwards by: a
/// JWT goes to the scheme of the issuer it names, everything else stays with it.
/// </summary>
public static class JwtIdentities
{
    /// <summary>Asymmetric algorithms only: a shared-secret (HS*) or unsigned (none) token is refused whatever its header says.</summary>
    private static readonly string[] Algorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    /// <summary>
    /// Adds a scheme for each issuer, and returns what <see cref="BearerTokenHandler"/> forwards by:
    /// the scheme of the issuer a JWT names, or null (a Sluice token, or a JWT from no trusted issuer).
    /// </summary>
    public static Func<HttpContext, string?> AddTrustedIssuers(this AuthenticationBuilder authentication, IReadOnlyList<TrustedIssuer> issuers)
    {
        var schemes = new Dictionary<string, string>(StringComparer.Ordinal);
        authentication.Services.AddSingleton<VerifiedTokens>();
        authentication.Services.AddSingleton<IssuersHealthCheck>();
        authentication.Services.AddHealthChecks().AddCheck<IssuersHealthCheck>("issuers", tags: [Observability.ObservabilitySetup.ReadyTag]);
        foreach (TrustedIssuer issuer in issuers)
        {
            string scheme = "Jwt " + issuer.Issuer;
            schemes[issuer.Issuer] = scheme;
            authentication.AddJwtBearer(scheme, _ => { });
            authentication.Services.AddOptions<JwtBearerOptions>(scheme).Configure<TimeProvider, ILoggerFactory, VerifiedTokens, IssuersHealthCheck>((options, time, loggers, tokens, health) =>
            {
                var keys = new IssuerKeys(issuer, time, loggers.CreateLogger<IssuerKeys>());
                health.Watch(keys);
                options.ConfigurationManager = keys;
                options.RefreshOnIssuerKeyNotFound = false; // IssuerKeys fetches for an unknown kid before the check
                options.MapInboundClaims = false;
                options.IncludeErrorDetails = false;
                options.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = issuer.Issuer,
                    ValidAudiences = issuer.Audiences,
                    ClockSkew = issuer.ClockSkew,
                    RequireExpirationTime = true,
                    RequireSignedTokens = true,
                    ValidAlgorithms = Algorithms,
                    NameClaimType = "sub",
                };
                options.Events = new JwtIdentityEvents(issuer, scheme, keys, tokens);
            });
        }

        return context => SchemeFor(context, schemes);
    }

    private static string? SchemeFor(HttpContext context, Dictionary<string, string> schemes)
    {
        if (JwtShape.BearerOf(context.Request) is not { } bearer || bearer.StartsWith(Core.Access.TokenSecret.Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        if (context.RequestServices.GetRequiredService<VerifiedTokens>().Find(bearer) is { } known)
        {
            return known.Scheme;
        }

        return JwtShape.IssuerOf(bearer) is { } issuer && schemes.TryGetValue(issuer, out string? scheme) ? scheme : null;
    }
}
