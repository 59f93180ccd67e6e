using System.Net;
using Microsoft.Win32.SafeHandles;
using Sluice.Core.Artifacts.Transfers;

namespace Sluice.Cli.Commands.Upload;

/// <summary>
/// PUTs one part to its presigned URL and returns the ETag the bucket gave it. A 403 (the URL
/// expired, or the clock moved) gets a freshly signed URL and one more try; the network, 408, 429
/// and 5xx are tried again with <see cref="Backoff"/>; an ETag that is an MD5 must be the MD5 of
/// the bytes sent. Part requests carry no token: the URL is the only authority they need.
/// </summary>
public sealed class PartSender(HttpClient bucket, PartUrls urls, SafeFileHandle file, PartLayout layout, IUploadProgress progress)
{
    public async Task<string> SendAsync(int partNumber, CancellationToken cancellationToken)
    {
        bool resigned = false, wantFresh = false;
        int attempt = 0;
        while (true)
        {
            attempt++;
            string url = await urls.GetAsync(partNumber, wantFresh, cancellationToken);
            wantFresh = false;
            long sent = 0;
            string failure;
            try
            {
                using var content = new FileRangeContent(file, layout.Offset(partNumber), layout.Length(partNumber), n =>
                {
                    sent += n;
                    progress.Advanced(n);
                });
                using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(url, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true })) { Content = content };
                // A stalled connection must not hang the upload: a part gets 2 minutes plus 4 s per MiB.
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                deadline.CancelAfter(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(4.0 * layout.Length(partNumber) / (1024 * 1024)));
                using var response = await bucket.SendAsync(request, deadline.Token);
                if (response.IsSuccessStatusCode)
                {
                    string etag = response.Headers.TryGetValues("ETag", out var values) ? values.First() : "";
                    string normalized = ContentETag.Normalize(etag);
                    if (content.Md5 is { } md5 && ContentETag.IsMd5(normalized) && normalized != Convert.ToHexStringLower(md5))
                    {
                        failure = $"the bucket stored other bytes than were sent (ETag {etag}, MD5 {Convert.ToHexStringLower(md5)})";
                    }
                    else if (etag.Length == 0)
                    {
                        throw new PartFailedException(partNumber, "the bucket answered without an ETag");
                    }
                    else
                    {
                        return etag;
                    }
                }
                else
                {
                    failure = $"{(int)response.StatusCode} {S3ErrorCode(await response.Content.ReadAsStringAsync(deadline.Token)) ?? response.ReasonPhrase}";
                    if (response.StatusCode == HttpStatusCode.Forbidden && !resigned)
                    {
                        progress.Advanced(-sent);
                        resigned = wantFresh = true;
                        progress.Note($"part {partNumber}: {failure}; signing a fresh URL and trying again");
                        continue;
                    }

                    if (!Backoff.IsTransient(response.StatusCode))
                    {
                        progress.Advanced(-sent);
                        throw new PartFailedException(partNumber, failure);
                    }
                }
            }
            catch (HttpRequestException e) when (e.InnerException is FileChangedException changed)
            {
                throw changed;
            }
            catch (Exception e) when (Backoff.IsTransient(e, cancellationToken))
            {
                failure = e.Message;
            }

            progress.Advanced(-sent);
            if (attempt >= Backoff.MaxAttempts)
            {
                throw new PartFailedException(partNumber, $"{failure} (tried {attempt} times)");
            }

            progress.Note($"part {partNumber}: {failure}; trying again");
            await Backoff.WaitAsync(attempt, cancellationToken);
        }
    }

    /// <summary>The <c>&lt;Code&gt;</c> of an S3 error body, e.g. AccessDenied or SignatureDoesNotMatch.</summary>
    private static string? S3ErrorCode(string body)
    {
        int start = body.IndexOf("<Code>", StringComparison.Ordinal);
        int end = body.IndexOf("</Code>", StringComparison.Ordinal);
        return start >= 0 && end > start ? body[(start + 6)..end] : null;
    }
}
