namespace Sluice.Core.Signing;

/// <summary>
/// Everything that goes into one presigned URL. <see cref="Authority"/> is the signed
/// <c>host</c> value (a non-default port included) and <see cref="PathPrefix"/> is
/// <c>/</c> for virtual-hosted style or <c>/bucket/</c> for path style; the key is the
/// raw S3 key, encoded by the signer.
/// </summary>
public readonly record struct PresignRequest(
    S3Method Method,
    string Scheme,
    string Authority,
    string PathPrefix,
    string Key,
    string Region,
    SigningCredentials Credentials,
    int ExpiresInSeconds)
{
    /// <summary>SigV4's ceiling for <c>X-Amz-Expires</c>: seven days.</summary>
    public const int MaxExpiresInSeconds = 604_800;
}
