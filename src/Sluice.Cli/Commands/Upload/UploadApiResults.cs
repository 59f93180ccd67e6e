
namespace Sluice.Cli.Commands.Upload;

/// <summary>An upload the server started: its key (given or generated) and S3's upload id.</summary>
public sealed record StartedUpload(string Key, string UploadId);

/// <summary>Part URLs signed in one call, all valid until <see cref="ExpiresAt"/>.</summary>
public sealed record SignedParts(DateTimeOffset ExpiresAt, IReadOnlyDictionary<int, string> Urls);

/// <summary>The object the parts became.</summary>
public sealed record CompletedUpload(string Key, string ETag, long Size);
