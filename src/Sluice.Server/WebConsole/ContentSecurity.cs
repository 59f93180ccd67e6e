namespace Sluice.Server.WebConsole;

/// <summary>The Content-Security-Policy of the console and the upload page.</summary>
public static class ContentSecurity
{
    /// <summary>
    /// Only this server's own scripts and styles (no inline script or style, no eval); fetches to
    /// this server and to buckets over HTTPS (plain HTTP only on loopback, for a local S3 server);
    /// images from this server, or previews the page fetched itself (<c>blob:</c>); no forms posted,
    /// no framing, no plugins.
    /// </summary>
    public const string Policy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
        + "connect-src 'self' https: http://127.0.0.1:* http://localhost:*; "
        + "form-action 'none'; frame-ancestors 'none'; base-uri 'none'";
}
