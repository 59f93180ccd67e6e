namespace Sluice.Core.Providers;

/// <summary>
/// What narrows a signed PUT: one part of a multipart upload (<see cref="UploadId"/> and
/// <see cref="PartNumber"/>), and/or the exact type and size the client declared. The default narrows nothing.
/// </summary>
public readonly record struct UploadConstraint(string? UploadId = null, int? PartNumber = null, string? ContentType = null, long? ContentLength = null)
{
    public bool IsEmpty => UploadId is null && ContentType is null && ContentLength is null;

    public static UploadConstraint Part(string uploadId, int partNumber) => new(uploadId, partNumber);

    /// <summary>The signed headers the upload must send as they are, or null when there are none.</summary>
    public IReadOnlyDictionary<string, string>? SignedHeaders()
    {
        if (ContentType is null && ContentLength is null)
        {
            return null;
        }

        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        if (ContentType is { } type)
        {
            headers["Content-Type"] = type;
        }

        if (ContentLength is { } length)
        {
            headers["Content-Length"] = length.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return headers;
    }
}
