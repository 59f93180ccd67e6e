using System.Collections.Concurrent;
using Azure;
using Azure.Core;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Sluice.Core.Credentials;

namespace Sluice.Core.Providers.Azure;

/// <summary>
/// User delegation keys, one per Entra ID principal and blob endpoint: asked for with the
/// principal's token (Get User Delegation Key), for <see cref="KeyLifetime"/>, and kept until
/// <see cref="RenewBefore"/> their end. One fetch at a time per key, whoever waits for it; a
/// failed fetch is not kept, so the next request tries again.
/// </summary>
public sealed class UserDelegationKeys(TimeProvider time)
{
    /// <summary>How long a key is asked for: the service's limit is seven days from now.</summary>
    public static readonly TimeSpan KeyLifetime = TimeSpan.FromDays(7) - TimeSpan.FromMinutes(5);

    /// <summary>A key is renewed when less than this is left: a URL signed with it lives at most this long without a note.</summary>
    public static readonly TimeSpan RenewBefore = TimeSpan.FromDays(6);

    // Lazy: of the requests that find no key (or an old one) at once, only the entry that is kept fetches.
    private readonly ConcurrentDictionary<string, Lazy<Task<DelegationKey>>> _keys = new(StringComparer.Ordinal);

    /// <param name="principal">Who <paramref name="credential"/> is, for the cache (an account id, or "workload").</param>
    /// <exception cref="CredentialSourceException">No token, or the service refused the key; the message says which.</exception>
    public async Task<DelegationKey> GetAsync(string principal, TokenCredential credential, Uri serviceUri, CancellationToken cancellationToken)
    {
        string cacheKey = principal + " " + serviceUri.AbsoluteUri;
        while (true)
        {
            Lazy<Task<DelegationKey>> entry = _keys.GetOrAdd(cacheKey, _ => new(() => FetchAsync(credential, serviceUri)));
            Task<DelegationKey> fetch = entry.Value;
            if (fetch.IsCompletedSuccessfully && fetch.Result.ExpiresOn - time.GetUtcNow() < RenewBefore)
            {
                _keys.TryUpdate(cacheKey, new(() => FetchAsync(credential, serviceUri)), entry);
                continue;
            }

            try
            {
                return await fetch.WaitAsync(cancellationToken);
            }
            catch (CredentialSourceException)
            {
                _keys.TryRemove(new KeyValuePair<string, Lazy<Task<DelegationKey>>>(cacheKey, entry));
                throw;
            }
        }
    }

    // Not the request's token: one request giving up must not fail the fetch others wait on.
    private async Task<DelegationKey> FetchAsync(TokenCredential credential, Uri serviceUri)
    {
        DateTimeOffset now = time.GetUtcNow();
        var client = new BlobServiceClient(new Uri(serviceUri.AbsoluteUri.TrimEnd('/')), credential);
        try
        {
            UserDelegationKey key = (await client.GetUserDelegationKeyAsync(now.AddMinutes(-5), now + KeyLifetime, CancellationToken.None)).Value;
            return new DelegationKey(key.SignedObjectId, key.SignedTenantId, key.SignedStartsOn, key.SignedExpiresOn, key.SignedService, key.SignedVersion, Convert.FromBase64String(key.Value));
        }
        catch (AuthenticationFailedException e)
        {
            throw new CredentialSourceException($"no Entra ID token for {serviceUri.Host}: {FirstLine(e.Message)}", e);
        }
        catch (RequestFailedException e)
        {
            throw new CredentialSourceException($"{serviceUri.Host} refused a user delegation key: {e.Status} {e.ErrorCode}", e);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
        {
            throw new CredentialSourceException($"{serviceUri.Host} could not be reached for a user delegation key: {FirstLine(e.Message)}", e);
        }
    }

    private static string FirstLine(string message)
    {
        int end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}
