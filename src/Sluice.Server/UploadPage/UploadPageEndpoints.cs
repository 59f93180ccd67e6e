namespace Sluice.Server.UploadPage;

/// <summary>
/// <c>GET /upload</c>: a page that uploads a file from the browser through presigned multipart
/// (<see cref="Storage.MultipartEndpoints"/>), with its script and style beside it. Open to all:
/// it holds no data, and the token is typed in or handed over in the URL fragment, which never
/// reaches a server. The parts go from the browser to the bucket, which must allow that by CORS.
/// </summary>
public static class UploadPageEndpoints
{
    public const string Path = "/upload";

    /// <summary>
    /// Only this server's own script and style; fetches to this server and to buckets over HTTPS
    /// (plain HTTP only on loopback, for a local S3 server); no forms posted, no framing.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src data:; "
        + "connect-src 'self' https: http://127.0.0.1:* http://localhost:*; "
        + "form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

    private static readonly PageFile Page = PageFile.Load("upload.html", "text/html; charset=utf-8");
    private static readonly PageFile Script = PageFile.Load("upload.js", "text/javascript; charset=utf-8");
    private static readonly PageFile Style = PageFile.Load("upload.css", "text/css; charset=utf-8");

    public static IEndpointRouteBuilder MapUploadPage(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup(Path).AllowAnonymous().ExcludeFromDescription();
        group.MapGet("", (HttpContext context) => Page.Serve(context));
        group.MapGet("/upload.js", (HttpContext context) => Script.Serve(context));
        group.MapGet("/upload.css", (HttpContext context) => Style.Serve(context));
        return routes;
    }
}
