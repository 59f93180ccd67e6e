using System.Net;
using Sluice.Core.Transfers;

namespace Sluice.Cli.Commands.Upload;

/// <summary>
/// Parts PUT to the presigned URLs a Sluice server signs (<see cref="PartUrls"/>): the source of
/// authority is the only thing <c>sluice upload</c> adds to the transfer engine. A 403 (the URL
/// expired, or the clock moved) gets a freshly signed URL at once; the network, 408, 429 and 5xx
/// are transient (tried again with backoff), and so are bytes the bucket received otherwise
/// than sent. Part requests carry no token: the URL is the only authority they need.
/// </summary>
public sealed class PresignedPartTarget(HttpClient bucket, PartUrls urls, IUploadProgress progress) : IPartTarget
{
    public bool WantsSha256 => false;

    public async Task<PartReceipt> SendAsync(PartBody part, CancellationToken cancellationToken)
    {
        for (bool fresh = false; ; fresh = true)
        {
            string url = await urls.GetAsync(part.Number, fresh, cancellationToken);
            using var content = new StreamContent(part.OpenRead(), 256 * 1024);
            content.Headers.ContentLength = part.Length;
            using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(url, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true })) { Content = content };

            // A stalled connection must not hang the upload: a part gets 2 minutes plus 4 s per MiB.
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(4.0 * part.Length / (1024 * 1024)));
            using var response = await bucket.SendAsync(request, deadline.Token);
            if (response.IsSuccessStatusCode)
            {
                string etag = response.Headers.TryGetValues("ETag", out var values) ? values.First() : "";
                return etag.Length > 0 ? new PartReceipt(etag, ETagIsContentDigest: true) : throw new PartFailedException(part.Number, "the bucket answered without an ETag");
            }

            string failure = $"{(int)response.StatusCode} {S3ErrorCode(await response.Content.ReadAsStringAsync(deadline.Token)) ?? response.ReasonPhrase}";
            if (response.StatusCode == HttpStatusCode.Forbidden && !fresh)
            {
                progress.Note($"part {part.Number}: {failure}; signing a fresh URL and trying again");
                continue;
            }

            throw new PartFailedException(part.Number, failure, Backoff.IsTransient(response.StatusCode));
        }
    }

    public bool IsTransient(Exception failure, CancellationToken cancellationToken) =>
        failure is PartFailedException { Transient: true } or TransferIntegrityException || Backoff.IsTransient(failure, cancellationToken);

    /// <summary>The <c>&lt;Code&gt;</c> of an S3 error body, e.g. AccessDenied or SignatureDoesNotMatch.</summary>
    private static string? S3ErrorCode(string body)
    {
        int start = body.IndexOf("<Code>", StringComparison.Ordinal);
        int end = body.IndexOf("</Code>", StringComparison.Ordinal);
        return start >= 0 && end > start ? body[(start + 6)..end] : null;
    }
}
