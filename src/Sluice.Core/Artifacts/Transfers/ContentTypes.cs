namespace Sluice.Core.Artifacts.Transfers;

/// <summary>
/// The Content-Type an uploaded file is stored with, from its extension, so that presigned links
/// to a run's plots, pages and logs open in a browser; anything else is application/octet-stream.
/// </summary>
public static class ContentTypes
{
    public const string Default = "application/octet-stream";

    private static readonly Dictionary<string, string> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".txt"] = "text/plain; charset=utf-8",
        [".log"] = "text/plain; charset=utf-8",
        [".md"] = "text/markdown; charset=utf-8",
        [".csv"] = "text/csv; charset=utf-8",
        [".tsv"] = "text/tab-separated-values; charset=utf-8",
        [".html"] = "text/html; charset=utf-8",
        [".htm"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".json"] = "application/json",
        [".jsonl"] = "application/x-ndjson",
        [".yaml"] = "application/yaml",
        [".yml"] = "application/yaml",
        [".xml"] = "application/xml",
        [".pdf"] = "application/pdf",
        [".png"] = "image/png",
        [".jpg"] = "image/jpeg",
        [".jpeg"] = "image/jpeg",
        [".gif"] = "image/gif",
        [".svg"] = "image/svg+xml",
        [".webp"] = "image/webp",
        [".mp4"] = "video/mp4",
        [".wav"] = "audio/wav",
        [".mp3"] = "audio/mpeg",
        [".zip"] = "application/zip",
        [".gz"] = "application/gzip",
        [".tar"] = "application/x-tar",
    };

    public static string For(string key)
    {
        int slash = key.LastIndexOf('/');
        int dot = key.LastIndexOf('.');
        return dot > slash && ByExtension.TryGetValue(key[dot..], out string? type) ? type : Default;
    }
}
