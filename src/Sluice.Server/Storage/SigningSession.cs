using Sluice.Core.Accounts;
using Sluice.Core.Credentials;
using Sluice.Core.Providers;
using Sluice.Core.Signing;
using Sluice.Server.Audit;
using Sluice.Server.Auth;
using Sluice.Server.Problems;

namespace Sluice.Server.Storage;

/// <summary>
/// One request's signing: the account, its credentials (as the provider's <see cref="IUrlSigner"/>)
/// and the URLs' lifetime, worked out once, whether the request signs one URL or ten thousand.
/// </summary>
public sealed class SigningSession
{
    private readonly PresignServices _services;
    private readonly (AwsAccount Account, SigningCredentials Credentials)? _s3; // what OpenStore opens (no closure per request)
    private readonly AuditFeature _audit;

    private SigningSession(PresignServices services, AuditFeature audit, string accountId, IUrlSigner signer, (AwsAccount, SigningCredentials)? s3, DateTimeOffset now, UrlLifetime lifetime)
    {
        _services = services;
        _audit = audit;
        AccountId = accountId;
        Signer = signer;
        _s3 = s3;
        Now = now;
        Lifetime = lifetime;
    }

    /// <summary>What the URLs are signed for: the <c>AwsAccount</c>, or the <c>AzureContainer</c>, by id.</summary>
    public string AccountId { get; }

    /// <summary>Signs the account's URLs (and forms, where the store has them: <see cref="IFormSigner"/>).</summary>
    public IUrlSigner Signer { get; }

    /// <summary>The signing time: every URL of the session carries the same X-Amz-Date.</summary>
    public DateTimeOffset Now { get; }

    public UrlLifetime Lifetime { get; }

    /// <summary>
    /// The expiration the request asked for (<c>?expiration=</c>), or <paramref name="defaultSeconds"/>, never more than the
    /// token's limit; null with <paramref name="problem"/> set when the parameter is invalid.
    /// </summary>
    public static int? RequestedExpiration(HttpContext context, out FieldError? problem, int defaultSeconds = ExpirationParameter.DefaultSeconds)
    {
        int? requested = ExpirationParameter.Read(context.Request.Query, out string? expirationProblem);
        problem = expirationProblem is null ? null : new FieldError(ExpirationParameter.Name, expirationProblem);
        return expirationProblem is not null
            ? null
            : requested ?? Math.Min(defaultSeconds, Caller.Of(context)?.Scope.MaxExpirationSeconds ?? int.MaxValue);
    }

    /// <summary>Finds the account and resolves its credentials: the session, or the 404/503 that stops it.</summary>
    public static async Task<(SigningSession? Session, IResult? Problem)> OpenAsync(HttpContext context, string accountId, int expirationSeconds, CancellationToken cancellationToken)
    {
        var services = context.RequestServices.GetRequiredService<PresignServices>();
        if (await services.Accounts.FindAsync(accountId, cancellationToken) is not { } account)
        {
            return (null, ProblemResults.AccountNotFound(accountId));
        }

        SigningCredentials credentials;
        try
        {
            credentials = (await services.Credentials.ResolveAsync(account, cancellationToken)).Credentials;
        }
        catch (CredentialsUnavailableException e)
        {
            PresignLog.CredentialsUnavailable(services.Logger, account.Id, e.Message);
            return (null, ProblemResults.Status(StatusCodes.Status503ServiceUnavailable, "No credentials for this account", e.Message));
        }

        return Start(context, account.Id, services.S3.UrlSigner(account, credentials), expirationSeconds, s3: (account, credentials));
    }

    /// <summary>
    /// A session on a signer already made (another cloud's), its lifetime fitted to the signer's
    /// credentials: the session, or the 503 when they are over.
    /// </summary>
    public static (SigningSession? Session, IResult? Problem) Start(
        HttpContext context, string accountId, IUrlSigner signer, int expirationSeconds, string ownerKind = "account", (AwsAccount, SigningCredentials)? s3 = null)
    {
        var services = context.RequestServices.GetRequiredService<PresignServices>();
        DateTimeOffset now = services.Time.GetUtcNow();
        UrlLifetime lifetime = UrlLifetime.Fit(now, expirationSeconds, signer.CredentialsExpireAt, ownerKind, accountId);
        return lifetime.Problem is { } expired
            ? (null, expired)
            : (new SigningSession(services, AuditFeature.Of(context), accountId, signer, s3, now, lifetime), null);
    }

    /// <summary>One object URL, counted, logged and audited (without the URL: it is a bearer credential).</summary>
    public string Sign(string bucket, string key, ObjectMethod method, UploadConstraint constraint = default)
    {
        string url = Signer.Sign(bucket, key, method, Lifetime.Seconds, Now, constraint);
        _audit.Signed(key, 1, method.ToHttpMethod(), Lifetime.ExpiresAt);
        PresignLog.Signed(_services.Logger, method.ToHttpMethod(), AccountId, bucket, Lifetime.Seconds);
        _services.Metrics.Signed(method.ToHttpMethod());
        return url;
    }

    /// <summary>Many object URLs of one method: counted once, not logged one by one.</summary>
    public string SignQuietly(string bucket, string key, ObjectMethod method, UploadConstraint constraint = default) =>
        Signer.Sign(bucket, key, method, Lifetime.Seconds, Now, constraint);

    /// <summary>Counts, logs and audits the URLs <see cref="SignQuietly"/> made: how many, and the first key (or a form's key prefix).</summary>
    public void CountBatch(ObjectMethod method, string bucket, int urls, string? firstKey)
    {
        _audit.Signed(firstKey, urls, method.ToHttpMethod(), Lifetime.ExpiresAt);
        PresignLog.SignedBatch(_services.Logger, method.ToHttpMethod(), AccountId, bucket, urls, Lifetime.Seconds);
        _services.Metrics.Signed(method.ToHttpMethod(), urls);
    }

    /// <summary>The bucket's object store with the session's credentials, for the calls Sluice makes itself; the caller disposes it.</summary>
    public IObjectStore OpenStore(string bucket) =>
        _s3 is { } s3 ? _services.S3.ObjectStore(s3.Account, s3.Credentials, bucket) : throw new InvalidOperationException($"no object store for {AccountId}");

    public PresignResponse Response(string url, ObjectMethod method, string? generatedKey = null, UploadConstraint constraint = default) =>
        new(url, method.ToHttpMethod(), Lifetime.ExpiresAt, Lifetime.Note, generatedKey, constraint.SignedHeaders());
}
