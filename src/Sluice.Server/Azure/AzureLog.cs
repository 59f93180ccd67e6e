namespace Sluice.Server.Azure;

/// <summary>Azure resource and signing events: ids and names only, never a key, secret or URL.</summary>
internal static partial class AzureLog
{
    [LoggerMessage(1101, LogLevel.Information, "{ResourceType} {Id} {Change}")]
    public static partial void Saved(ILogger logger, string resourceType, string id, string change);

    [LoggerMessage(1102, LogLevel.Information, "{ResourceType} {Id} deleted")]
    public static partial void Deleted(ILogger logger, string resourceType, string id);

    [LoggerMessage(1103, LogLevel.Information, "{ResourceType} {Id} refused: {Fields}")]
    public static partial void Refused(ILogger logger, string resourceType, string id, string fields);

    [LoggerMessage(1104, LogLevel.Warning, "Nothing to sign with for {Target} (an AzureContainer id, or a storage account): {Reason}")]
    public static partial void NoSigner(ILogger logger, string target, string reason);
}
