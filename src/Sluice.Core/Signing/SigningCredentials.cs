namespace Sluice.Core.Signing;

/// <summary>
/// The keys a URL is signed with. A class rather than a record so that no generated
/// <c>ToString</c> or equality ever prints or compares the secret by accident.
/// </summary>
public sealed class SigningCredentials
{
    public SigningCredentials(string accessKeyId, string secretAccessKey, string? sessionToken = null, DateTimeOffset? expiresAt = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(accessKeyId);
        ArgumentException.ThrowIfNullOrEmpty(secretAccessKey);
        AccessKeyId = accessKeyId;
        SecretAccessKey = secretAccessKey;
        SessionToken = string.IsNullOrEmpty(sessionToken) ? null : sessionToken;
        ExpiresAt = expiresAt;
    }

    public string AccessKeyId { get; }

    public string SecretAccessKey { get; }

    public string? SessionToken { get; }

    /// <summary>When temporary credentials stop working; null for long-lived keys.</summary>
    public DateTimeOffset? ExpiresAt { get; }

    public override string ToString() => $"SigningCredentials({AccessKeyId}, secret redacted)";
}
