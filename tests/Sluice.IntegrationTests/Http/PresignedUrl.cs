using System.Globalization;
using System.Net;
using System.Text.Json;
using Sluice.Core.Signing;
using Sluice.Core.Providers;

namespace Sluice.IntegrationTests.Http;

/// <summary>
/// A presigned URL split by hand (never through <see cref="Uri"/>, which would normalise the
/// path): scheme, authority, raw path and the query parameters in order.
/// </summary>
public sealed record PresignedUrl(string Url, string Scheme, string Authority, string Path, IReadOnlyList<KeyValuePair<string, string>> Query)
{
    public static PresignedUrl Parse(string url)
    {
        int schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        Assert.True(schemeEnd > 0, $"no scheme in {url}");
        int pathStart = url.IndexOf('/', schemeEnd + 3);
        Assert.True(pathStart > 0, $"no path in {url}");
        int queryStart = url.IndexOf('?', pathStart);
        Assert.True(queryStart > 0, $"no query in {url}");
        Assert.DoesNotContain('#', url);
        var query = new List<KeyValuePair<string, string>>();
        foreach (string pair in url[(queryStart + 1)..].Split('&'))
        {
            int eq = pair.IndexOf('=');
            Assert.True(eq > 0, $"query part '{pair}' has no value in {url}");
            query.Add(new(pair[..eq], pair[(eq + 1)..]));
        }

        return new PresignedUrl(url, url[..schemeEnd], url[(schemeEnd + 3)..pathStart], url[pathStart..queryStart], query);
    }

    public string this[string name] => Query.Single(p => p.Key == name).Value;

    /// <summary>The signing time the URL carries in <c>X-Amz-Date</c>.</summary>
    public DateTimeOffset SignedAt => DateTimeOffset.ParseExact(this["X-Amz-Date"], "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public int ExpiresInSeconds => int.Parse(this["X-Amz-Expires"], NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>What <see cref="SigV4Presigner"/> makes of the same inputs, signed at this URL's own X-Amz-Date.</summary>
    public string Resign(ObjectMethod method, string scheme, string authority, string pathPrefix, string key, string region, SigningCredentials credentials, int expiresInSeconds) =>
        new SigV4Presigner(TimeProvider.System).Presign(
            new PresignRequest(method, scheme, authority, pathPrefix, key, region, credentials, expiresInSeconds),
            SignedAt);
}

/// <summary>Reads and checks a presign answer: <c>200 {"url", "method", "expiresAt"}</c>.</summary>
public static class PresignAnswer
{
    public static async Task<(PresignedUrl Url, DateTimeOffset ExpiresAt)> ReadAsync(HttpResponseMessage response, string expectedMethod, int expectedSeconds)
    {
        DateTimeOffset before = DateTimeOffset.UtcNow;
        JsonElement body = await HttpTestSupport.ReadJsonAsync(response, HttpStatusCode.OK);
        Assert.Equal(["expiresAt", "method", "url"], body.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(expectedMethod, body.GetProperty("method").GetString());

        var url = PresignedUrl.Parse(body.GetProperty("url").GetString()!);
        Assert.Equal(
            ["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature"],
            url.Query.Select(p => p.Key).Where(k => k != "X-Amz-Security-Token").ToArray());
        Assert.Equal("AWS4-HMAC-SHA256", url["X-Amz-Algorithm"]);
        Assert.Equal("host", url["X-Amz-SignedHeaders"]);
        Assert.Equal(expectedSeconds.ToString(CultureInfo.InvariantCulture), url["X-Amz-Expires"]);
        Assert.Matches("^[0-9a-f]{64}$", url["X-Amz-Signature"]);

        // Signed just now (X-Amz-Date has whole seconds; allow for a slow machine).
        Assert.InRange(url.SignedAt, before.AddSeconds(-60), before.AddSeconds(60));

        string expiresText = body.GetProperty("expiresAt").GetString()!;
        Assert.EndsWith("Z", expiresText, StringComparison.Ordinal);
        DateTimeOffset expiresAt = DateTimeOffset.Parse(expiresText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
        Assert.Equal(url.SignedAt.AddSeconds(expectedSeconds), expiresAt);
        return (url, expiresAt);
    }
}
