namespace Sluice.Server.Accounts;

/// <summary>Account events; ids and regions only, never keys.</summary>
internal static partial class AccountLog
{
    [LoggerMessage(1001, LogLevel.Information, "AwsAccount {AccountId} {Change} (region {Region}, credentials {CredentialKind})")]
    public static partial void Saved(ILogger logger, string accountId, string change, string region, string credentialKind);

    [LoggerMessage(1002, LogLevel.Information, "AwsAccount {AccountId} deleted")]
    public static partial void Deleted(ILogger logger, string accountId);

    [LoggerMessage(1003, LogLevel.Information, "AwsAccount {AccountId} refused: {Fields}")]
    public static partial void Refused(ILogger logger, string accountId, string fields);
}
