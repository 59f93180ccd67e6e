namespace Sluice.Core.Providers;

/// <summary>What the store said of an object it wrote: its ETag, and whether that ETag is a digest of the bytes (not under SSE-KMS).</summary>
public sealed record ObjectReceipt(string ETag, bool ETagIsContentDigest);
