using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;
using Sluice.Core.Identities;

namespace Sluice.Server.Auth.Jwt;

/// <summary>
/// One JWT bearer scheme per trusted issuer (validation by ASP.NET Core's handler and
/// Microsoft.IdentityModel, keys from <see cref="IssuerKeys"/>), and the
/// router in front that hands a bearer value to the scheme of the issuer it names, or to
/// <see cref="BearerTokenHandler"/> for everything else.
/// </summary>
public static class JwtIdentities
{
    public const string RouterScheme = "SluiceBearer";

    /// <summary>Asymmetric algorithms only: a shared-secret (HS*) or unsigned (none) token is refused whatever its header says.</summary>
    private static readonly string[] Algorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    public static AuthenticationBuilder AddTrustedIssuers(this AuthenticationBuilder authentication, IReadOnlyList<TrustedIssuer> issuers)
    {
        var schemes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (TrustedIssuer issuer in issuers)
        {
            string scheme = "Jwt " + issuer.Issuer;
            schemes[issuer.Issuer] = scheme;
            authentication.AddJwtBearer(scheme, _ => { });
            authentication.Services.AddOptions<JwtBearerOptions>(scheme).Configure<TimeProvider, ILoggerFactory>((options, time, loggers) =>
            {
                var keys = new IssuerKeys(issuer, time, loggers.CreateLogger<IssuerKeys>());
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
                options.Events = new JwtIdentityEvents(issuer, keys);
            });
        }

        authentication.AddPolicyScheme(RouterScheme, "Sluice tokens and trusted JWTs", options =>
            options.ForwardDefaultSelector = context => SchemeFor(context, schemes));
        return authentication;
    }

    private static string SchemeFor(HttpContext context, Dictionary<string, string> schemes)
    {
        string? header = context.Request.Headers.Authorization;
        if (header is { Length: > 7 } && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && JwtShape.IssuerOf(header[7..].Trim()) is { } issuer
            && schemes.TryGetValue(issuer, out string? scheme))
        {
            return scheme;
        }

        return BearerTokenHandler.SchemeName;
    }
}
