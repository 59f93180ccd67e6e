using Microsoft.IdentityModel.Tokens;

namespace Sluice.Server.Auth.Jwt;

/// <summary>
/// Why a JWT was refused, told from the validator's exception in Sluice's words: never the
/// exception's message (it may quote the token) and never a stack trace.
/// </summary>
public static class JwtRefusals
{
    public static string Describe(Exception? failure, string issuer) => failure switch
    {
        SecurityTokenExpiredException => "the token has expired",
        SecurityTokenNotYetValidException => "the token is not valid yet (nbf is in the future)",
        SecurityTokenNoExpirationException => "the token has no expiry (exp); tokens without one are refused",
        SecurityTokenInvalidLifetimeException => "the token's validity (nbf, exp) is not a valid period",
        SecurityTokenInvalidAudienceException => $"the token is not for an audience Sluice accepts from {issuer} (aud)",
        SecurityTokenInvalidIssuerException => $"the token's issuer is not {issuer}",
        SecurityTokenInvalidAlgorithmException => "the token's algorithm (alg) is not one Sluice accepts (RS*, PS*, ES*)",
        SecurityTokenSignatureKeyNotFoundException => $"the token is signed with a key that {issuer} does not publish",
        SecurityTokenInvalidSignatureException when IsUnsigned(failure) => "the token is not signed (alg: none is refused)",
        SecurityTokenInvalidSignatureException => $"the token's signature does not verify with the keys of {issuer}",
        SecurityTokenMalformedException or ArgumentException => "the token is not a well-formed JWT",
        _ => "the token could not be validated",
    };

    /// <summary>IDX10504: the token has no signature part.</summary>
    private static bool IsUnsigned(Exception failure) => failure.Message.Contains("IDX10504", StringComparison.Ordinal);
}
