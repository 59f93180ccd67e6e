using System.Security.Claims;
using Microsoft.Extensions.Time.Testing;
using Sluice.Core.Access;
using Sluice.Server.Auth;
using Sluice.Server.Auth.Jwt;

namespace Sluice.IntegrationTests.Identities;

/// <summary>The kept verified tokens: until their expiry or five minutes, whichever comes first, and never more than the capacity.</summary>
public sealed class VerifiedTokensTests
{
    private static readonly Caller Someone = new(Caller.JwtKind, "https://issuer.example", "someone", new TokenScope(false, [], [], ["a/"], [], null));

    [Fact]
    public void A_token_is_kept_until_it_expires_or_five_minutes_pass()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-03T12:00:00Z"));
        var tokens = new VerifiedTokens(time);
        tokens.Keep("short", "Jwt x", Someone, new ClaimsPrincipal(), time.GetUtcNow().AddSeconds(30));
        tokens.Keep("long", "Jwt x", Someone, new ClaimsPrincipal(), time.GetUtcNow().AddHours(1));
        tokens.Keep("expired", "Jwt x", Someone, new ClaimsPrincipal(), time.GetUtcNow().AddSeconds(-1));

        Assert.Equal("Jwt x", tokens.Find("short")?.Scheme);
        Assert.Null(tokens.Find("expired"));
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Null(tokens.Find("short"));
        Assert.NotNull(tokens.Find("long"));
        time.Advance(VerifiedTokens.MaxAge - TimeSpan.FromSeconds(30));
        Assert.Null(tokens.Find("long"));
        Assert.Null(tokens.Find("never-kept"));
    }

    [Fact]
    public void Past_its_capacity_expired_tokens_go_first_and_then_all()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-03T12:00:00Z"));
        var tokens = new VerifiedTokens(time);
        for (int i = 0; i < VerifiedTokens.Capacity; i++)
        {
            tokens.Keep($"t{i}", "Jwt x", Someone, new ClaimsPrincipal(), time.GetUtcNow().AddSeconds(i < 10 ? 1 : 600));
        }

        time.Advance(TimeSpan.FromSeconds(2));
        tokens.Keep("next", "Jwt x", Someone, new ClaimsPrincipal(), time.GetUtcNow().AddMinutes(1));
        Assert.Equal(VerifiedTokens.Capacity - 10 + 1, tokens.Count);

        for (int i = 0; tokens.Count < VerifiedTokens.Capacity; i++)
        {
            tokens.Keep($"more{i}", "Jwt x", Someone, new ClaimsPrincipal(), time.GetUtcNow().AddMinutes(1));
        }

        tokens.Keep("last", "Jwt x", Someone, new ClaimsPrincipal(), time.GetUtcNow().AddMinutes(1));
        Assert.Equal(1, tokens.Count);
        Assert.NotNull(tokens.Find("last"));
    }
}
