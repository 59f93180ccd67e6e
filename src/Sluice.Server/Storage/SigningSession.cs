using Sluice.Core.Accounts;
using Sluice.Core.Credentials;
using Sluice.Core.Signing;
using Sluice.Server.Auth;
using Sluice.Server.Problems;
using Sluice.Core.Providers;

namespace Sluice.Server.Storage;

/// <summary>
/// One request's signing: the account, its credentials and the URLs' lifetime, worked out once,
/// whether the request signs one URL or ten thousand.
/// </summary>
public sealed class SigningSession
{
    private readonly PresignServices _services;

    private SigningSession(PresignServices services, AwsAccount account, SigningCredentials credentials, DateTimeOffset now, UrlLifetime lifetime)
    {
        _services = services;
        Account = account;
        Credentials = credentials;
        Now = now;
        Lifetime = lifetime;
    }

    public AwsAccount Account { get; }

    public SigningCredentials Credentials { get; }

    /// <summary>The signing time: every URL of the session carries the same X-Amz-Date.</summary>
    public DateTimeOffset Now { get; }

    public UrlLifetime Lifetime { get; }

    /// <summary>
    /// The expiration the request asked for (<c>?expiration=</c>), or the default, never more than the
    /// token's limit; null with <paramref name="problem"/> set when the parameter is invalid.
    /// </summary>
    public static int? RequestedExpiration(HttpContext context, out FieldError? problem)
    {
        int? requested = ExpirationParameter.Read(context.Request.Query, out string? expirationProblem);
        problem = expirationProblem is null ? null : new FieldError(ExpirationParameter.Name, expirationProblem);
        return expirationProblem is not null
            ? null
            : requested ?? Math.Min(ExpirationParameter.DefaultSeconds, BearerTokenHandler.TokenOf(context)?.Scope.MaxExpirationSeconds ?? int.MaxValue);
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

        DateTimeOffset now = services.Time.GetUtcNow();
        UrlLifetime lifetime = UrlLifetime.Fit(now, expirationSeconds, credentials.ExpiresAt, "account", account.Id);
        return lifetime.Problem is { } expired
            ? (null, expired)
            : (new SigningSession(services, account, credentials, now, lifetime), null);
    }

    /// <summary>One object URL, counted and logged (without the URL: it is a bearer credential).</summary>
    public string Sign(string bucket, string key, ObjectMethod method, UploadConstraint constraint = default)
    {
        string url = _services.Signer.Sign(Account, bucket, key, method, Credentials, Lifetime.Seconds, Now, constraint);
        PresignLog.Signed(_services.Logger, method.ToHttpMethod(), Account.Id, bucket, Lifetime.Seconds);
        _services.Metrics.Signed(method.ToHttpMethod());
        return url;
    }

    /// <summary>Many object URLs of one method: counted once, not logged one by one.</summary>
    public string SignQuietly(string bucket, string key, ObjectMethod method, UploadConstraint constraint = default) =>
        _services.Signer.Sign(Account, bucket, key, method, Credentials, Lifetime.Seconds, Now, constraint);

    public void CountBatch(ObjectMethod method, string bucket, int urls)
    {
        PresignLog.SignedBatch(_services.Logger, method.ToHttpMethod(), Account.Id, bucket, urls, Lifetime.Seconds);
        _services.Metrics.Signed(method.ToHttpMethod(), urls);
    }

    public PresignResponse Response(string url, ObjectMethod method, string? generatedKey = null, UploadConstraint constraint = default) =>
        new(url, method.ToHttpMethod(), Lifetime.ExpiresAt, Lifetime.Note, generatedKey, constraint.SignedHeaders());
}
