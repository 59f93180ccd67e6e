using Sluice.Core.Accounts;
using Sluice.Core.Addressing;
using Sluice.Core.Providers;
using Sluice.Core.Credentials;
using Sluice.Server.Auth;
using Sluice.Server.Persistence;
using Sluice.Server.Problems;
using Sluice.Core.Providers.S3;

namespace Sluice.Server.Accounts;

/// <summary>
/// <c>POST /AwsAccount/{id}/$check[?bucket=]</c>: resolves the account's credentials, says which
/// source gave them and when they expire, and with <c>bucket</c> lists one key of it with them,
/// so an operator can debug a set-up in one call.
/// </summary>
public static class AccountCheckEndpoint
{
    public static IEndpointRouteBuilder MapAccountCheckEndpoint(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/AwsAccount/{id}/$check", CheckAsync).WithTags("Accounts").RequireAuthorization(AuthSetup.AdminPolicy);
        return routes;
    }

    private static async Task<IResult> CheckAsync(string id, string? bucket, IAccountStore store, ICredentialResolver resolver, S3Provider provider, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        if (AccountId.Problem(id) is { } idProblem)
        {
            errors.Add(new FieldError("id", idProblem));
        }

        if (bucket is not null && BucketName.Problem(bucket) is { } bucketProblem)
        {
            errors.Add(new FieldError("bucket", bucketProblem));
        }

        if (errors.Count > 0)
        {
            return ProblemResults.Invalid(errors);
        }

        if (await store.FindAsync(id, cancellationToken) is not { } account)
        {
            return ProblemResults.AccountNotFound(id);
        }

        SourcedCredentials credentials;
        try
        {
            credentials = await resolver.ResolveAsync(account, cancellationToken);
        }
        catch (CredentialsUnavailableException e)
        {
            var failed = new CredentialsCheck(false, null, null, false, null, e.Message);
            return Results.Ok(new AccountCheckResponse(id, false, failed, bucket is null ? null : new BucketCheck(bucket, false, null, "not tried: no credentials")));
        }

        var found = new CredentialsCheck(
            true, credentials.Source, credentials.Credentials.AccessKeyId, credentials.Credentials.SessionToken is not null, credentials.ExpiresAt?.UtcDateTime, null);
        BucketCheck? bucketCheck = bucket is null ? null : await ProbeAsync(provider, account, credentials, bucket, cancellationToken);
        return Results.Ok(new AccountCheckResponse(id, bucketCheck?.Ok ?? true, found, bucketCheck));
    }

    private static async Task<BucketCheck> ProbeAsync(S3Provider provider, AwsAccount account, SourcedCredentials credentials, string bucket, CancellationToken cancellationToken)
    {
        using IObjectStore store = provider.ObjectStore(account, credentials.Credentials, bucket, TimeSpan.FromSeconds(10));
        try
        {
            await store.ProbeAsync(cancellationToken);
            return new BucketCheck(bucket, true, StatusCodes.Status200OK, null);
        }
        catch (ObjectStoreException e)
        {
            return new BucketCheck(bucket, false, e.Status, e.Message);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return new BucketCheck(bucket, false, null, e.Message.ReplaceLineEndings(" "));
        }
    }
}
