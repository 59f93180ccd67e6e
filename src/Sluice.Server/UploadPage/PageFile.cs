namespace Sluice.Server.UploadPage;

/// <summary>A file of the upload page compiled into this assembly, served as it is with the page's security headers.</summary>
internal sealed record PageFile(byte[] Content, string ContentType)
{
    public static PageFile Load(string name, string contentType)
    {
        using var stream = typeof(PageFile).Assembly.GetManifestResourceStream($"{typeof(PageFile).Namespace}.{name}")
            ?? throw new InvalidOperationException($"The upload page's {name} is not embedded in the assembly.");
        using var content = new MemoryStream();
        stream.CopyTo(content);
        return new PageFile(content.ToArray(), contentType);
    }

    public IResult Serve(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = UploadPageEndpoints.ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers.CacheControl = "no-cache";
        return Results.Bytes(Content, ContentType);
    }
}
