namespace Sluice.Core.Providers.Azure;

/// <summary>
/// <see cref="IUrlSigner"/> for one storage account: a bucket is a container, a key a blob name,
/// and the URL a SAS for what the method needs (<see cref="SasPermissionLetters.For"/>), valid from
/// when it is made (no start time) and, on an https endpoint, over https only.
/// </summary>
public sealed class AzureUrlSigner(BlobSasSigner signer, Uri serviceEndpoint) : IUrlSigner
{
    /// <summary><c>https://acct.blob.core.windows.net/</c> or <c>http://127.0.0.1:10000/devstoreaccount1/</c>: what a container name follows.</summary>
    private readonly string _prefix = serviceEndpoint.AbsoluteUri.EndsWith('/') ? serviceEndpoint.AbsoluteUri : serviceEndpoint.AbsoluteUri + "/";
    private readonly SasProtocol _protocol = serviceEndpoint.Scheme == Uri.UriSchemeHttps ? SasProtocol.Https : SasProtocol.Any;

    public DateTimeOffset? CredentialsExpireAt => signer.KeyExpiresOn;

    /// <remarks>
    /// A SAS cannot bind a declared size or type, nor one block of an upload: <paramref name="constraint"/> is the
    /// caller's to enforce elsewhere (a block list is committed by the server, not by a URL).
    /// </remarks>
    public string Sign(string bucket, string key, ObjectMethod method, int expiresInSeconds, DateTimeOffset signingTime, UploadConstraint constraint = default) =>
        signer.Url(_prefix, bucket, key, SasPermissionLetters.For(method), signingTime.AddSeconds(expiresInSeconds), startsOn: null, _protocol);
}
