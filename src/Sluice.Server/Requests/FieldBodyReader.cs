using System.Text;
using Microsoft.Net.Http.Headers;
using Sluice.Server.Problems;

namespace Sluice.Server.Requests;

/// <summary>
/// Reads small request bodies written as YAML (the seed's form, also the default when no
/// Content-Type is sent) or JSON into flat fields, with a size limit checked before parsing.
/// </summary>
public static class FieldBodyReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    public static async Task<FieldBody> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken, bool allowLists = false, bool allowReferences = false)
    {
        BodyFormat? format = FormatOf(request.ContentType);
        if (format is null)
        {
            return FieldBody.Failed(ProblemResults.Status(
                StatusCodes.Status415UnsupportedMediaType,
                "Unsupported media type",
                $"Content-Type '{request.ContentType}' is not accepted; send application/json or text/yaml (curl -d sends application/x-www-form-urlencoded unless told otherwise with -H)."));
        }

        var (text, problem) = await ReadTextAsync(request, maxBytes, cancellationToken);
        if (problem is not null)
        {
            return FieldBody.Failed(problem);
        }

        return format == BodyFormat.Json ? JsonFields.Parse(text!, allowLists, allowReferences) : YamlFields.Parse(text!, allowLists, allowReferences);
    }

    /// <summary>The body as text, at most <paramref name="maxBytes"/> bytes of UTF-8 (a leading byte order mark dropped), or the 4xx that stops it.</summary>
    public static async Task<(string? Text, IResult? Problem)> ReadTextAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return (null, TooLarge(maxBytes));
        }

        byte[] buffer = new byte[Math.Min(maxBytes + 1, 16 * 1024)];
        int length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (buffer.Length > maxBytes)
                {
                    return (null, TooLarge(maxBytes));
                }

                Array.Resize(ref buffer, Math.Min(buffer.Length * 2, maxBytes + 1));
            }

            int read;
            try
            {
                read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken);
            }
            catch (BadHttpRequestException e)
            {
                // Kestrel reads chunked bodies ahead of us: one past its own MaxRequestBodySize throws here before
                // we reach maxBytes, as does malformed chunk framing. The client's fault, never a 500.
                return (null, e.StatusCode == StatusCodes.Status413PayloadTooLarge
                    ? TooLarge(maxBytes)
                    : ProblemResults.Status(e.StatusCode, "Unreadable request body", e.Message));
            }
            catch (IOException e)
            {
                // Kestrel reports some framing errors (a chunk size that overflows) and client resets this way.
                return (null, ProblemResults.Status(StatusCodes.Status400BadRequest, "Unreadable request body", e.Message));
            }

            if (read == 0)
            {
                break;
            }

            length += read;
        }

        // A UTF-8 byte order mark is not content (YAML 1.2 section 5.2; RFC 8259 section 8.1 lets JSON readers ignore it),
        // and Windows editors write one: without this, YAML saw a field named "\uFEFFregion".
        int start = length >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF ? 3 : 0;
        string text;
        try
        {
            text = StrictUtf8.GetString(buffer, start, length - start);
        }
        catch (DecoderFallbackException)
        {
            return (null, ProblemResults.Invalid("body", "is not valid UTF-8"));
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, ProblemResults.Invalid("body", "is empty; send the fields as YAML or JSON"));
        }

        return (text, null);
    }

    private static IResult TooLarge(int maxBytes) =>
        ProblemResults.Status(StatusCodes.Status413PayloadTooLarge, "Request body too large", $"The body must be at most {maxBytes} bytes.");

    private static BodyFormat? FormatOf(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return BodyFormat.Yaml;
        }

        if (!MediaTypeHeaderValue.TryParse(contentType, out var media) || media.MediaType.Value is not { } type)
        {
            return null;
        }

        // charset="utf-8" is the same parameter as charset=utf-8 (RFC 9110 section 5.6.6).
        if (media.Charset.HasValue && !HeaderUtilities.RemoveQuotes(media.Charset).Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return type.ToLowerInvariant() switch
        {
            "application/json" => BodyFormat.Json,
            "text/yaml" or "application/yaml" or "application/x-yaml" or "text/x-yaml" or "text/plain" => BodyFormat.Yaml,
            _ when type.EndsWith("+json", StringComparison.OrdinalIgnoreCase) => BodyFormat.Json,
            _ => null,
        };
    }

    private enum BodyFormat
    {
        Yaml,
        Json,
    }
}
