namespace Sluice.Server.Audit;

/// <summary>
/// What an endpoint tells the trail about its request: the action, and as it learns them the
/// account, bucket, key(s), method and expiry. <see cref="AuditMiddleware"/> adds who, from where
/// and the outcome, and records it once the response is decided.
/// </summary>
public sealed class AuditFeature
{
    public string? Action { get; private set; }

    public string? Account { get; private set; }

    public string? Bucket { get; private set; }

    public string? Key { get; private set; }

    public string? Target { get; private set; }

    public int? KeyCount { get; private set; }

    public string? Method { get; private set; }

    public DateTimeOffset? ExpiresAt { get; private set; }

    /// <summary>The problem's detail of a refused or failed request.</summary>
    public string? Reason { get; set; }

    /// <summary>The feature of <paramref name="context"/>; one that records nothing when the trail is off (tests of other parts).</summary>
    public static AuditFeature Of(HttpContext context) => context.Features.Get<AuditFeature>() ?? Detached;

    private static AuditFeature Detached => new();

    /// <summary>Names what the request asks, and what it concerns as far as known.</summary>
    public AuditFeature Describe(string action, string? account = null, string? bucket = null, string? key = null, string? method = null)
    {
        Action = action;
        Account = account ?? Account;
        Bucket = bucket ?? Bucket;
        Key = key ?? Key;
        Method = method ?? Method;
        return this;
    }

    /// <summary>What the request concerns, learned after <see cref="Describe"/> (a key read from the body).</summary>
    public void About(string? account = null, string? bucket = null, string? key = null)
    {
        Account = account ?? Account;
        Bucket = bucket ?? Bucket;
        Key = key ?? Key;
    }

    /// <summary>What an admin action changed (an account's or a token's id).</summary>
    public AuditFeature Changed(string target)
    {
        Target = target;
        return this;
    }

    /// <summary>The URLs handed out: how many, the first key, and until when they work.</summary>
    public void Signed(string? firstKey, int count, string method, DateTimeOffset expiresAt)
    {
        Key = firstKey ?? Key;
        KeyCount = count;
        Method = method;
        ExpiresAt = expiresAt;
    }
}
