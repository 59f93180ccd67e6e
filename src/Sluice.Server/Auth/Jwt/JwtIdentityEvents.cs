using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Sluice.Core.Identities;

namespace Sluice.Server.Auth.Jwt;

/// <summary>
/// What Sluice adds to ASP.NET Core's JWT bearer handler for one trusted issuer: a valid token is
/// given the scope of the first rule its claims meet (<see cref="TrustedIssuer.Grant"/>), and every
/// refusal gets a problem body that says why: 401 for a token that is not valid, 403 for a valid
/// one that no rule grants anything, or that asks for administration, and 503 with
/// <c>Retry-After</c> while the issuer's keys cannot be fetched.
/// </summary>
public sealed class JwtIdentityEvents(TrustedIssuer issuer, string scheme, IssuerKeys keys, VerifiedTokens verified) : JwtBearerEvents
{
    private const string RefusalKey = "sluice:jwt-refusal";
    private const string NoRuleKey = "sluice:jwt-no-rule";
    private const string UnavailableKey = "sluice:jwt-issuer-unavailable";

    /// <summary>
    /// A token verified before is taken as it was (<see cref="VerifiedTokens"/>); a token naming a
    /// key Sluice has not seen makes it fetch the issuer's keys before the token is checked.
    /// </summary>
    public override Task MessageReceived(MessageReceivedContext context)
    {
        if (JwtShape.BearerOf(context.Request) is not { } token)
        {
            return Task.CompletedTask;
        }

        if (verified.Find(token) is { } known && known.Scheme == scheme)
        {
            known.Caller.AttachTo(context.HttpContext);
            context.Principal = known.Principal;
            context.Success();
            return Task.CompletedTask;
        }

        context.Token = token;
        return keys.EnsureKeyAsync(JwtShape.KeyIdOf(token), context.HttpContext.RequestAborted);
    }

    public override Task TokenValidated(TokenValidatedContext context)
    {
        var token = (JsonWebToken)context.SecurityToken;
        ClaimSet claims = ClaimSet.Parse(Base64UrlEncoder.DecodeBytes(token.EncodedPayload));
        IdentityGrant grant = issuer.Grant(claims);
        if (grant.Scope is null)
        {
            context.HttpContext.Items[NoRuleKey] = grant.Refusal;
            context.Fail(grant.Refusal!);
            return Task.CompletedTask;
        }

        var caller = new Caller(Caller.JwtKind, issuer.Issuer, token.Subject ?? "", grant.Scope);
        caller.AttachTo(context.HttpContext);
        verified.Keep(token.EncodedToken, scheme, caller, context.Principal!, new DateTimeOffset(token.ValidTo, TimeSpan.Zero));
        return Task.CompletedTask;
    }

    public override Task AuthenticationFailed(AuthenticationFailedContext context)
    {
        context.HttpContext.Items[RefusalKey] = JwtRefusals.Describe(context.Exception, issuer.Issuer);

        // No keys at all (the first fetch failed), or none for this token's kid while the issuer cannot be asked.
        if (keys.Failing && context.Exception is SecurityTokenSignatureKeyNotFoundException or InvalidOperationException)
        {
            context.HttpContext.Items[UnavailableKey] = true;
        }

        context.Fail(context.Exception);
        return Task.CompletedTask;
    }

    public override Task Challenge(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        HttpContext http = context.HttpContext;
        if (http.Items[NoRuleKey] is string noRule)
        {
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "No rule grants this identity anything", detail: noRule).ExecuteAsync(http);
        }

        if (http.Items.ContainsKey(UnavailableKey))
        {
            http.Response.Headers.RetryAfter = "5";
            return Results.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "The token's issuer cannot be reached",
                detail: $"The signing keys of {issuer.Issuer} cannot be fetched right now, so its tokens cannot be checked; try again shortly.")
                .ExecuteAsync(http);
        }

        http.Response.Headers.WWWAuthenticate = "Bearer";
        string reason = http.Items[RefusalKey] as string ?? JwtRefusals.Describe(context.AuthenticateFailure, issuer.Issuer);
        return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Authentication required", detail: reason).ExecuteAsync(http);
    }

    public override Task Forbidden(ForbiddenContext context) =>
        Results.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: "Forbidden",
            detail: "this needs a token with the admin scope; an identity from a token issuer may only sign URLs")
            .ExecuteAsync(context.HttpContext);
}
