namespace Sluice.Core.Providers;

/// <summary>
/// Signs object URLs with one account's (or store's) credentials: SigV4 query strings for S3, a SAS
/// for Azure. Made once per request from the resolved credentials, then used for one URL or ten
/// thousand; signing is the hot path, so implementations allocate little beyond the URL.
/// </summary>
public interface IUrlSigner
{
    /// <summary>When the credentials behind the URLs stop working (temporary ones), or null: no URL should outlive them.</summary>
    DateTimeOffset? CredentialsExpireAt { get; }

    string Sign(string bucket, string key, ObjectMethod method, int expiresInSeconds, DateTimeOffset signingTime, UploadConstraint constraint = default);
}
