using Amazon.Runtime;
using Sluice.Core.Signing;

namespace Sluice.Core.Credentials.Sources;

/// <summary>Turns the AWS SDK's credential objects into ours, with their expiry when they have one.</summary>
internal static class SdkCredentials
{
    public static async Task<SourcedCredentials> FetchAsync(AWSCredentials credentials, string source)
    {
        if (credentials is RefreshingAWSCredentials refreshing)
        {
            // The SDK moves Expiration a minute early (ExpirationBuffer, subtracted when the
            // credentials are fetched). We want the real end: URLs are clamped to it and our
            // cache keeps its own margins.
            refreshing.ExpirationBuffer = TimeSpan.Zero;
        }

        ImmutableCredentials keys = await credentials.GetCredentialsAsync();
        DateTimeOffset? expiresAt = credentials is RefreshingAWSCredentials { Expiration: { } expiration }
            ? new DateTimeOffset(DateTime.SpecifyKind(expiration.ToUniversalTime(), DateTimeKind.Utc))
            : null;
        return new SourcedCredentials(new SigningCredentials(keys.AccessKey, keys.SecretKey, keys.UseToken ? keys.Token : null, expiresAt), source);
    }

    /// <summary>The SDK's own message, which names what failed and carries no secret, kept to one line.</summary>
    public static string Describe(Exception exception)
    {
        string message = exception.InnerException is { } inner && exception.Message.Length < 20 ? $"{exception.Message} {inner.Message}" : exception.Message;
        message = message.ReplaceLineEndings(" ");
        return message.Length > 300 ? message[..300] + "…" : message;
    }
}
