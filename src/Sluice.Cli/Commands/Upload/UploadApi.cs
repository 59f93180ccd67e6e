using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Sluice.Core.Transfers;

namespace Sluice.Cli.Commands.Upload;

/// <summary>
/// The server's presigned multipart API for one bucket (<c>/aws/storage/{account}/{bucket}</c>):
/// start, sign part URLs, list stored parts, complete. Transient failures (the network, 429, 5xx)
/// are retried with <see cref="Backoff"/>; anything else becomes an <see cref="UploadApiException"/>
/// carrying the problem's detail.
/// </summary>
public sealed class UploadApi(HttpClient http, string account, string bucket)
{
    private readonly string _bucketPath = $"aws/storage/{Uri.EscapeDataString(account)}/{Uri.EscapeDataString(bucket)}";

    public async Task<StartedUpload> StartAsync(string? key, string? contentType, CancellationToken cancellationToken)
    {
        var body = new Dictionary<string, string>();
        if (key is not null)
        {
            body["filename"] = key;
        }

        if (contentType is not null)
        {
            body["contentType"] = contentType;
        }

        JsonElement started = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, Url(_bucketPath + "?uploads")) { Content = JsonContent.Create(body, ClientJson.Default.DictionaryStringString) }, cancellationToken);
        return new StartedUpload(started.GetProperty("key").GetString()!, started.GetProperty("uploadId").GetString()!);
    }

    public async Task<SignedParts> SignAsync(string key, string uploadId, IReadOnlyCollection<int> parts, CancellationToken cancellationToken)
    {
        Uri url = Url($"{KeyPath(key)}?uploadId={Uri.EscapeDataString(uploadId)}&partNumbers={string.Join(',', parts.Select(p => p.ToString(CultureInfo.InvariantCulture)))}");
        JsonElement signed = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), cancellationToken);
        var urls = signed.GetProperty("parts").EnumerateArray().ToDictionary(p => p.GetProperty("partNumber").GetInt32(), p => p.GetProperty("url").GetString()!);
        return new SignedParts(signed.GetProperty("expiresAt").GetDateTimeOffset(), urls);
    }

    public async Task<IReadOnlyList<StoredPart>> ListAsync(string key, string uploadId, CancellationToken cancellationToken)
    {
        Uri url = Url($"{KeyPath(key)}?uploadId={Uri.EscapeDataString(uploadId)}");
        JsonElement listed = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), cancellationToken);
        return [.. listed.GetProperty("parts").EnumerateArray().Select(p =>
            new StoredPart(p.GetProperty("partNumber").GetInt32(), p.GetProperty("etag").GetString()!, p.GetProperty("size").GetInt64()))];
    }

    public async Task<CompletedUpload> CompleteAsync(string key, string uploadId, IEnumerable<(int PartNumber, string ETag)> parts, CancellationToken cancellationToken)
    {
        Uri url = Url($"{KeyPath(key)}?uploadId={Uri.EscapeDataString(uploadId)}");
        var body = new PartsCompletion([.. parts.OrderBy(p => p.PartNumber).Select(p => new CompletedPart(p.PartNumber, p.ETag))]);
        JsonElement done = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body, ClientJson.Default.PartsCompletion) }, cancellationToken);
        return new CompletedUpload(done.GetProperty("key").GetString()!, done.GetProperty("etag").GetString()!, done.GetProperty("size").GetInt64());
    }

    /// <summary>The key's path: each segment percent-encoded, the slashes between them kept.</summary>
    private string KeyPath(string key) => _bucketPath + "/" + string.Join('/', key.Split('/').Select(Uri.EscapeDataString));

    // Sent exactly as built: no dot-segment removal or unescaping of what the key's encoding protects.
    private Uri Url(string pathAndQuery) =>
        new(http.BaseAddress!.AbsoluteUri + pathAndQuery, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });

    private async Task<JsonElement> SendAsync(Func<HttpRequestMessage> request, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            HttpResponseMessage response;
            try
            {
                using var message = request();
                response = await http.SendAsync(message, cancellationToken);
            }
            catch (Exception e) when (Backoff.IsTransient(e, cancellationToken))
            {
                if (attempt >= Backoff.MaxAttempts)
                {
                    throw new UploadApiException(null, $"the server {http.BaseAddress} could not be reached: {e.Message}");
                }

                await Backoff.WaitAsync(attempt, cancellationToken);
                continue;
            }

            using (response)
            {
                if (response.IsSuccessStatusCode)
                {
                    return response.StatusCode == HttpStatusCode.NoContent ? default : await response.Content.ReadFromJsonAsync(ClientJson.Default.JsonElement, cancellationToken);
                }

                if (!Backoff.IsTransient(response.StatusCode) || attempt >= Backoff.MaxAttempts)
                {
                    throw new UploadApiException(response.StatusCode, await DetailAsync(response, cancellationToken));
                }
            }

            await Backoff.WaitAsync(attempt, cancellationToken);
        }
    }

    private static async Task<string> DetailAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string status = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
        try
        {
            JsonElement problem = await response.Content.ReadFromJsonAsync(ClientJson.Default.JsonElement, cancellationToken);
            return $"{status} {ServerConnection.Text(problem, "detail") ?? ServerConnection.Text(problem, "title") ?? response.ReasonPhrase}";
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            return $"{status} {response.ReasonPhrase}";
        }
    }
}
