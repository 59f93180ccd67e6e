namespace Sluice.Server.WebConsole;

/// <summary>A file of the console compiled into this assembly, served as it is with the pages' security headers.</summary>
internal sealed record PageFile(byte[] Content, string ContentType)
{
    /// <summary>Where <c>web/</c>'s files are in the assembly's resources (see the project file).</summary>
    public const string ResourcePrefix = "console/";

    public static PageFile Load(string name) => TryLoad(name)
        ?? throw new InvalidOperationException($"The console's {name} is not embedded in the assembly.");

    /// <summary>The file at <paramref name="name"/> under <c>web/</c>, or null when there is none (or it is of a type not served).</summary>
    public static PageFile? TryLoad(string name)
    {
        if (ContentTypeOf(name) is not { } contentType)
        {
            return null;
        }

        using var stream = typeof(PageFile).Assembly.GetManifestResourceStream(ResourcePrefix + name);
        if (stream is null)
        {
            return null;
        }

        using var content = new MemoryStream();
        stream.CopyTo(content);
        return new PageFile(content.ToArray(), contentType);
    }

    /// <summary>Every file under <c>web/</c>, by its path there.</summary>
    public static IReadOnlyDictionary<string, PageFile> LoadAll() =>
        typeof(PageFile).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .Select(n => n[ResourcePrefix.Length..])
            .Select(n => (Name: n, File: TryLoad(n)))
            .Where(f => f.File is not null)
            .ToDictionary(f => f.Name, f => f.File!, StringComparer.Ordinal);

    private static string? ContentTypeOf(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        _ => null,
    };

    public IResult Serve(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurity.Policy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers.CacheControl = "no-cache";
        return Results.Bytes(Content, ContentType);
    }
}
