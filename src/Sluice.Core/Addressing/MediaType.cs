namespace Sluice.Core.Addressing;

/// <summary>
/// A declared Content-Type as the gateway and the client accept it: it is signed into URLs and
/// sent back byte for byte, so it must be one clean <c>type/subtype</c> header value.
/// </summary>
public static class MediaType
{
    /// <summary>Why a declared media type cannot be used, or null: <c>type/subtype</c>, printable ASCII, at most 255 characters.</summary>
    public static string? Problem(string contentType)
    {
        if (contentType.Length is 0 or > 255 || contentType.Any(ch => ch is < ' ' or > '~'))
        {
            return "must be a media type such as image/png: 1 to 255 printable ASCII characters";
        }

        if (contentType.Trim() != contentType || contentType.Contains("  ", StringComparison.Ordinal))
        {
            return "must not start or end with spaces or hold two in a row (it is signed, and sent back byte for byte)";
        }

        int slash = contentType.IndexOf('/');
        return slash <= 0 || slash == contentType.Length - 1 ? "must be a media type such as image/png (type/subtype)" : null;
    }
}
