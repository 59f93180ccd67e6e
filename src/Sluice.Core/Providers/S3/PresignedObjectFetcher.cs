using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Sluice.Core.Addressing;
using Sluice.Core.Signing;
using Sluice.Core.Transfers;

namespace Sluice.Core.Providers.S3;

/// <summary>
/// GETs on URLs from our own presigner over a plain HttpClient: per object, the SDK's request
/// pipeline (marshalling, header signing, response unmarshalling, its own MD5 pass over a whole
/// object) cost more CPU than the request itself, which shows when thousands of small files come
/// down. Range and If-Match travel as ordinary headers, which S3 honours outside the signature.
/// </summary>
internal sealed class PresignedObjectFetcher(
    HttpClient http, SigV4Presigner presigner, S3Endpoint endpoint, string bucket, Func<CancellationToken, ValueTask<SigningCredentials>> credentials)
{
    private const int UrlSeconds = 900;
    private readonly BucketAddress _address = endpoint.Locate(bucket);

    public async Task<FetchedObject> FetchAsync(string key, (long First, long Last)? range, string? ifMatch, CancellationToken cancellationToken)
    {
        SigningCredentials keys = await credentials(cancellationToken);
        string url = presigner.Presign(new PresignRequest(ObjectMethod.Get, _address.Scheme, _address.Authority, _address.PathPrefix, key, endpoint.Region, keys, UrlSeconds));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true }));
        if (range is var (first, last))
        {
            request.Headers.Range = new RangeHeaderValue(first, last);
        }

        if (ifMatch is not null)
        {
            request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(ifMatch.StartsWith('"') ? ifMatch : $"\"{ifMatch}\""));
        }

        HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        try
        {
            if (!response.IsSuccessStatusCode)
            {
                string body = await response.Content.ReadAsStringAsync(cancellationToken);
                string? code = S3ErrorCode(body);
                string message = $"{(int)response.StatusCode} {code ?? response.ReasonPhrase}: GET {key}";
                // A server error may pass (the caller retries those); a refusal will not.
                throw (int)response.StatusCode >= 500
                    ? new HttpRequestException(message, null, response.StatusCode)
                    : new ObjectStoreException(
                        response.StatusCode switch
                        {
                            HttpStatusCode.NotFound => ObjectStoreFailure.NotFound,
                            HttpStatusCode.PreconditionFailed => ObjectStoreFailure.PreconditionFailed,
                            _ => ObjectStoreFailure.Other,
                        },
                        (int)response.StatusCode,
                        code,
                        message);
            }

            Stream content = await response.Content.ReadAsStreamAsync(cancellationToken);
            long length = response.Content.Headers.ContentLength ?? -1;
            string etag = ContentETag.Normalize(response.Headers.ETag?.Tag ?? "");
            // As ContentETag.IsContentDigest: unencrypted or SSE-S3 (AES256) ETags are MD5s; SSE-KMS ones are not.
            bool digest = !response.Headers.TryGetValues("x-amz-server-side-encryption", out var sse) || sse.FirstOrDefault() is null or "" or "AES256";
            return new FetchedObject(content, length, etag, digest, response);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private static string? S3ErrorCode(string body)
    {
        int start = body.IndexOf("<Code>", StringComparison.Ordinal);
        int end = body.IndexOf("</Code>", StringComparison.Ordinal);
        return start >= 0 && end > start ? body[(start + 6)..end] : null;
    }
}
