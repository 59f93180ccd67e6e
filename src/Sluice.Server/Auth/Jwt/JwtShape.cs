using Microsoft.IdentityModel.JsonWebTokens;

namespace Sluice.Server.Auth.Jwt;

/// <summary>
/// A first look at a bearer value that may be a JWT, before anything is verified: only to choose
/// who verifies it (the issuer's scheme) or to say why nobody will. Sluice's own tokens
/// (<c>sluice_…</c>) hold no dot and are never read here.
/// </summary>
public static class JwtShape
{
    /// <summary>The value of <c>Authorization: Bearer …</c>, or null.</summary>
    public static string? BearerOf(HttpRequest request)
    {
        string? header = request.Headers.Authorization;
        return header is { Length: > 7 } && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
    }

    /// <summary>The unverified <c>iss</c> of a compact JWS (three dot-separated parts), or null when it is not one.</summary>
    public static string? IssuerOf(string bearer) => Read(bearer)?.Issuer is { Length: > 0 } issuer ? issuer : null;

    /// <summary>The unverified <c>kid</c> of a compact JWS, or null.</summary>
    public static string? KeyIdOf(string bearer) => Read(bearer)?.Kid;

    /// <summary>An issuer as it may be echoed in a refusal: short, and printable.</summary>
    public static string Shown(string issuer)
    {
        string printable = new(issuer.Select(c => char.IsControl(c) ? '?' : c).Take(100).ToArray());
        return issuer.Length > 100 ? printable + "..." : printable;
    }

    /// <summary>The bearer value read as a JWT, nothing verified; null when it is not one (or is one of Sluice's own tokens).</summary>
    private static JsonWebToken? Read(string bearer)
    {
        if (bearer.StartsWith(Core.Access.TokenSecret.Prefix, StringComparison.Ordinal) || bearer.AsSpan().Count('.') != 2 || bearer.Length > 16 * 1024)
        {
            return null;
        }

        try
        {
            return new JsonWebToken(bearer);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or System.Text.Json.JsonException or Microsoft.IdentityModel.Tokens.SecurityTokenException)
        {
            return null;
        }
    }
}
