namespace Sluice.Core.Providers;

/// <summary>An upload in parts that was started and neither completed nor aborted.</summary>
public sealed record PendingUpload(string Key, string UploadId, DateTimeOffset? Started);
