using Sluice.Core.Providers;

namespace Sluice.Core.Signing;

/// <summary>
/// The checks on a <see cref="PresignRequest"/>'s optional part and header constraints, run
/// only when one is set so the plain GET/PUT/DELETE path pays nothing for them.
/// </summary>
internal static class PresignConstraints
{
    public static void Validate(in PresignRequest request)
    {
        if (request.Method != ObjectMethod.Put)
        {
            throw new ArgumentException(
                "UploadId/PartNumber, ContentType and ContentLength constrain an upload: the method must be PUT.", nameof(request));
        }

        if ((request.UploadId is null) != (request.PartNumber is null))
        {
            throw new ArgumentException("UploadId and PartNumber go together: an UploadPart URL needs both.", nameof(request));
        }

        if (request.UploadId is { Length: 0 })
        {
            throw new ArgumentException("UploadId must not be empty.", nameof(request));
        }

        if (request.PartNumber is { } part && (uint)(part - 1) >= PresignRequest.MaxPartNumber)
        {
            throw new ArgumentOutOfRangeException(nameof(request), part, "PartNumber must be 1..10000.");
        }

        if (request.ContentLength is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.ContentLength, "ContentLength must not be negative.");
        }

        if (request.ContentType is { } type && !IsCanonicalHeaderValue(type))
        {
            throw new ArgumentException(
                "ContentType must be non-empty printable ASCII with no leading, trailing or repeated spaces.", nameof(request));
        }
    }

    // SigV4 trims a signed header's value and collapses its spaces; a value already in that form
    // is what the client sends and what the server hashes, with no room for disagreement.
    private static bool IsCanonicalHeaderValue(string value)
    {
        if (value.Length == 0 || value[0] == ' ' || value[^1] == ' ')
        {
            return false;
        }

        for (int i = 0; i < value.Length; i++)
        {
            char ch = value[i];
            if (ch is < ' ' or > '~' || (ch == ' ' && value[i - 1] == ' '))
            {
                return false;
            }
        }

        return true;
    }
}
