namespace Sluice.Tests.Reference;

/// <summary>
/// Splits a presigned URL by hand (no <see cref="Uri"/>, which would normalise the path)
/// into scheme, authority, raw path and query parameters, and compares two of them.
/// Parameter order is not compared: S3 does not care and the SDKs differ.
/// </summary>
public sealed record PresignedUrlParts(string Scheme, string Authority, string Path, IReadOnlyDictionary<string, string> Query)
{
    public static PresignedUrlParts Parse(string url)
    {
        int schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        int pathStart = url.IndexOf('/', schemeEnd + 3);
        int queryStart = url.IndexOf('?', pathStart);
        var query = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string pair in url[(queryStart + 1)..].Split('&'))
        {
            int eq = pair.IndexOf('=');
            query.Add(pair[..eq], pair[(eq + 1)..]);
        }

        return new PresignedUrlParts(url[..schemeEnd], url[(schemeEnd + 3)..pathStart], url[pathStart..queryStart], query);
    }

    /// <summary>Same scheme, authority, path and query parameters, except those named in <paramref name="notCompared"/>.</summary>
    public static void AssertSame(string expectedUrl, string actualUrl, params string[] notCompared)
    {
        var expected = Parse(expectedUrl);
        var actual = Parse(actualUrl);
        Assert.Equal(expected.Scheme, actual.Scheme);
        Assert.Equal(expected.Authority, actual.Authority);
        Assert.Equal(expected.Path, actual.Path);
        Assert.Equal(
            expected.Query.Where(p => !notCompared.Contains(p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal),
            actual.Query.Where(p => !notCompared.Contains(p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal));
    }
}
