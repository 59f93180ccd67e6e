namespace Sluice.Core.Providers;

/// <summary>An object (or a byte range of it) on its way: the body, its length, and whether the ETag is a digest of the bytes.</summary>
public sealed class FetchedObject(Stream body, long contentLength, string etag, bool etagIsDigest, IDisposable owner) : IDisposable
{
    public Stream Body { get; } = body;

    public long ContentLength { get; } = contentLength;

    /// <summary>The ETag without quotes.</summary>
    public string ETag { get; } = etag;

    /// <summary>False under SSE-KMS and SSE-C, whose ETags are not an MD5 of the content.</summary>
    public bool ETagIsDigest { get; } = etagIsDigest;

    public void Dispose() => owner.Dispose();
}
