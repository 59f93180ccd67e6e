namespace Sluice.Cli.Commands.Upload;

/// <summary>One <c>sluice upload</c>, its arguments checked: the file's full path, where it goes, and how it is cut.</summary>
public sealed record UploadRequest(string File, Uri Server, string Account, string Bucket, string? Key, string? ContentType, long PartSize, int Concurrency);
