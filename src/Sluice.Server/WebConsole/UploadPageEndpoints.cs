namespace Sluice.Server.WebConsole;

/// <summary>
/// <c>GET /upload</c>: a page that uploads a file from the browser through presigned multipart
/// (<see cref="Storage.MultipartEndpoints"/>) with the console's upload engine. Open to all: it
/// holds no data, and the token is typed in or handed over in the URL fragment, which never
/// reaches a server. The parts go from the browser to the bucket, which must allow that by CORS.
/// </summary>
public static class UploadPageEndpoints
{
    public const string Path = "/upload";

    public const string ContentSecurityPolicy = ContentSecurity.Policy;

    private static readonly PageFile Page = PageFile.Load("upload.html");
    private static readonly PageFile Script = PageFile.Load("upload.js");
    private static readonly PageFile Style = PageFile.Load("upload.css");

    public static IEndpointRouteBuilder MapUploadPage(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup(Path).AllowAnonymous().ExcludeFromDescription();
        group.MapGet("", (HttpContext context) => Page.Serve(context));
        group.MapGet("/upload.js", (HttpContext context) => Script.Serve(context));
        group.MapGet("/upload.css", (HttpContext context) => Style.Serve(context));
        return routes;
    }
}
