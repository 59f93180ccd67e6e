using System.Globalization;
using System.Net;
using System.Text.Json;
using Sluice.IntegrationTests.Http;

namespace Sluice.IntegrationTests.Credentials;

/// <summary>A presign answer (<c>url</c>, <c>method</c>, <c>expiresAt</c>, <c>note</c>) and the SigV4 parameters of its URL.</summary>
public sealed record Presigned(string Url, string Method, DateTimeOffset ExpiresAt, string? Note)
{
    /// <summary>The access key in <c>X-Amz-Credential</c>.</summary>
    public string AccessKeyId => Query("X-Amz-Credential")!.Split('/')[0];

    /// <summary><c>X-Amz-Date</c>: when the URL was signed (whole seconds).</summary>
    public DateTimeOffset SignedAt => DateTimeOffset.ParseExact(
        Query("X-Amz-Date")!, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    /// <summary><c>X-Amz-Expires</c>, in seconds.</summary>
    public int ExpiresInSeconds => int.Parse(Query("X-Amz-Expires")!, CultureInfo.InvariantCulture);

    /// <summary>When the URL stops working by its own parameters: <c>X-Amz-Date + X-Amz-Expires</c>.</summary>
    public DateTimeOffset UrlEnd => SignedAt.AddSeconds(ExpiresInSeconds);

    public string? SecurityToken => Query("X-Amz-Security-Token");

    /// <summary>A query parameter of the URL, decoded; null when absent.</summary>
    public string? Query(string name)
    {
        int q = Url.IndexOf('?', StringComparison.Ordinal);
        if (q < 0)
        {
            return null;
        }

        foreach (string pair in Url[(q + 1)..].Split('&'))
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            string key = eq < 0 ? pair : pair[..eq];
            if (key == name)
            {
                return eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..]);
            }
        }

        return null;
    }

    public static async Task<Presigned> ReadAsync(HttpResponseMessage response)
    {
        JsonElement body = await HttpTestSupport.ReadJsonAsync(response, HttpStatusCode.OK);
        return new Presigned(
            body.GetProperty("url").GetString()!,
            body.GetProperty("method").GetString()!,
            body.GetProperty("expiresAt").GetDateTimeOffset().ToUniversalTime(),
            body.TryGetProperty("note", out JsonElement note) ? note.GetString() : null);
    }
}
