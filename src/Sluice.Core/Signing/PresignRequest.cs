using Sluice.Core.Providers;

namespace Sluice.Core.Signing;

/// <summary>
/// Everything that goes into one presigned URL. <see cref="Authority"/> is the signed
/// <c>host</c> value (a non-default port included) and <see cref="PathPrefix"/> is
/// <c>/</c> for virtual-hosted style or <c>/bucket/</c> for path style; the key is the
/// raw S3 key, encoded by the signer. The optional properties narrow a PUT: to one part of
/// a multipart upload, and/or to one exact declared type and size.
/// </summary>
public readonly record struct PresignRequest(
    ObjectMethod Method,
    string Scheme,
    string Authority,
    string PathPrefix,
    string Key,
    string Region,
    SigningCredentials Credentials,
    int ExpiresInSeconds)
{
    /// <summary>SigV4's ceiling for <c>X-Amz-Expires</c>: seven days.</summary>
    public const int MaxExpiresInSeconds = 604_800;

    /// <summary>S3's part numbers run 1..10000.</summary>
    public const int MaxPartNumber = 10_000;

    /// <summary>
    /// With <see cref="PartNumber"/>, makes the URL an UploadPart (<c>PUT ?partNumber=N&amp;uploadId=ID</c>);
    /// both are signed, so the URL uploads that one part and nothing else.
    /// </summary>
    public string? UploadId { get; init; }

    /// <summary>1..<see cref="MaxPartNumber"/>; given together with <see cref="UploadId"/>.</summary>
    public int? PartNumber { get; init; }

    /// <summary>
    /// Signed as the <c>content-type</c> header of a PUT: the server refuses an upload declaring
    /// any other type. Must be printable ASCII, already trimmed, with no runs of spaces (the
    /// client must send it byte for byte, so the signer does not normalise it).
    /// </summary>
    public string? ContentType { get; init; }

    /// <summary>Signed as the <c>content-length</c> header of a PUT: the server refuses a body of any other size.</summary>
    public long? ContentLength { get; init; }
}
