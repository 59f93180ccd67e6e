namespace Sluice.Core.Providers;

/// <summary>An object as a listing or a HEAD shows it: key, size, ETag (as the store gives it, quotes and all) and last change.</summary>
public sealed record StoredObject(string Key, long Size, string ETag, DateTimeOffset? LastModified);
