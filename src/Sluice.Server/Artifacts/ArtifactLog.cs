namespace Sluice.Server.Artifacts;

/// <summary>Artifact store events. Neither download links (bearer credentials) nor secrets are logged.</summary>
internal static partial class ArtifactLog
{
    [LoggerMessage(4001, LogLevel.Information, "Deleted {Files} files ({Bytes} bytes) at {Path} in run {Run} of store {Store}")]
    public static partial void Deleted(ILogger logger, string store, string run, string path, int files, long bytes);

    [LoggerMessage(4002, LogLevel.Warning, "Store {Store} cannot be used: {Reason}")]
    public static partial void Unavailable(ILogger logger, string store, string reason);

    [LoggerMessage(4003, LogLevel.Warning, "Store {Store} failed: {Reason}")]
    public static partial void Failed(ILogger logger, string store, string reason);
}
