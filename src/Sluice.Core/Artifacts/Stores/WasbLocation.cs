namespace Sluice.Core.Artifacts.Stores;

/// <summary>
/// Where a <c>wasb</c> store's container is: the storage account's blob host
/// (<c>account.blob.core.windows.net</c>, or a sovereign cloud's suffix) and whether the URL asked
/// for TLS (<c>wasbs://</c>) or not (<c>wasb://</c>, Hadoop's plain-HTTP form).
/// </summary>
public sealed record WasbLocation(string Host, bool Tls)
{
    /// <summary>The storage account: the host's first label.</summary>
    public string AccountName => Host[..Host.IndexOf('.')];

    public string Scheme => Tls ? "wasbs" : "wasb";

    /// <summary><c>https://account.blob.core.windows.net/</c>: what container names follow.</summary>
    public Uri ServiceUri => new($"{(Tls ? "https" : "http")}://{Host}/");
}
