namespace Sluice.Core.Artifacts.Stores.Connections;

/// <summary>
/// An Azure Storage connection string (<c>AccountName=…;AccountKey=…;BlobEndpoint=…</c>), the parts
/// a blob store uses: the account, its key or a SAS, and where its blobs are. Keys are matched
/// without regard to case, as the Azure SDKs match them; <c>UseDevelopmentStorage=true</c> is the
/// emulator's well-known account on its default port. Problems never quote a value.
/// </summary>
public sealed record AzureConnectionString(string? AccountName, string? AccountKey, string? SharedAccessSignature, Uri? BlobEndpoint, string? Protocol)
{
    /// <summary>The emulator account every Azure SDK and Azurite document.</summary>
    public const string DevelopmentAccount = "devstoreaccount1";

    private const string DevelopmentKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>The parsed string, or null with <paramref name="problem"/> saying what is wrong.</summary>
    public static AzureConnectionString? Parse(string text, out string? problem)
    {
        problem = null;
        var pairs = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string[] segments = text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (int i = 0; i < segments.Length; i++)
        {
            int equals = segments[i].IndexOf('=');
            if (equals <= 0)
            {
                problem = $"is not Key=Value pairs separated by ';' (part {i + 1} has no key and '=')";
                return null;
            }

            pairs[segments[i][..equals].Trim()] = segments[i][(equals + 1)..].Trim();
        }

        string? Get(string key) => pairs.TryGetValue(key, out string? value) && value.Length > 0 ? value : null;

        if (string.Equals(Get("UseDevelopmentStorage"), "true", StringComparison.OrdinalIgnoreCase))
        {
            return new AzureConnectionString(DevelopmentAccount, DevelopmentKey, null, new Uri($"http://127.0.0.1:10000/{DevelopmentAccount}"), "http");
        }

        Uri? endpoint = null;
        if (Get("BlobEndpoint") is { } blobEndpoint
            && (!Uri.TryCreate(blobEndpoint, UriKind.Absolute, out endpoint) || endpoint.Scheme is not ("http" or "https") || endpoint.Query.Length > 0))
        {
            problem = "has a BlobEndpoint that is not an http(s) URL without a query";
            return null;
        }

        string? protocol = Get("DefaultEndpointsProtocol")?.ToLowerInvariant();
        if (protocol is not (null or "http" or "https"))
        {
            problem = "has a DefaultEndpointsProtocol other than http or https";
            return null;
        }

        return new AzureConnectionString(Get("AccountName"), Get("AccountKey"), Get("SharedAccessSignature"), endpoint, protocol);
    }

    public override string ToString() => $"AzureConnectionString({AccountName}, values redacted)";
}
