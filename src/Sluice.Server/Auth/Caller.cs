using Sluice.Core.Access;

namespace Sluice.Server.Auth;

/// <summary>
/// Who sent a request, once authenticated, and what they may sign: a Sluice token
/// (<see cref="Id"/> the token id, <see cref="Name"/> its name) or a JWT from a trusted issuer
/// (<see cref="Id"/> the issuer, <see cref="Name"/> the subject, the scope its rule granted).
/// </summary>
public sealed record Caller(string Kind, string Id, string Name, TokenScope Scope)
{
    public const string TokenKind = "token";
    public const string JwtKind = "jwt";

    /// <summary>The request's caller, or null before authentication or when it failed.</summary>
    public static Caller? Of(HttpContext context) => context.Features.Get<Caller>();

    public static Caller ForToken(AccessToken token) => new(TokenKind, token.Id, token.Name, token.Scope);

    /// <summary>Whose budget a request spends under the rate limit: one per token, one per issuer and subject.</summary>
    public string RateKey => Kind == TokenKind ? "token:" + Id : $"{Kind}:{Id} {Name}";

    public void AttachTo(HttpContext context) => context.Features.Set(this);
}
