using Sluice.Core.Artifacts;
using Sluice.Core.Transfers;

namespace Sluice.IntegrationTests.Artifacts;

/// <summary>An upload in parts that the store holds open: the key and the store's id for it.</summary>
public sealed record OpenUpload(string Key, string UploadId);

/// <summary>
/// The real server an <see cref="ArtifactsWorkspace"/> stores into, and an independent view of it (the
/// cloud's own SDK, never Sluice's code): the RADOS Gateway for <c>kind: s3</c>
/// (<see cref="GatewayStore"/>), Azurite for <c>kind: wasb</c> (<see cref="AzuriteStore"/>).
/// </summary>
public abstract class StoreUnderTest
{
    /// <summary>The store's <c>kind</c> in the stores file.</summary>
    public abstract string Kind { get; }

    /// <summary><c>schema.bucket</c> for a store rooted at <paramref name="prefix"/>.</summary>
    public abstract string BucketUrl(string prefix);

    /// <summary>What the store's secret holds to reach the server.</summary>
    public abstract Dictionary<string, string> SecretValues();

    /// <summary>An in-process client for <paramref name="prefix"/>; <paramref name="authority"/> (host:port) points it elsewhere.</summary>
    public abstract Task<ArtifactClient> ConnectAsync(string prefix, TransferOptions options, string? authority = null);

    /// <summary>Every object under <paramref name="prefix"/> (its '/' included): key after the prefix → (size, ETag or digest).</summary>
    public abstract Task<Dictionary<string, (long Size, string ETag)>> ListAsync(string prefix);

    /// <summary>Uploads in parts open under <paramref name="prefix"/>.</summary>
    public abstract Task<List<OpenUpload>> UploadsInProgressAsync(string prefix);

    /// <summary>How many parts an open upload holds.</summary>
    public abstract Task<int> PartsInProgressAsync(OpenUpload upload);

    /// <summary>Whether an object (a complete one) is at <paramref name="key"/>.</summary>
    public abstract Task<bool> ExistsAsync(string key);

    public abstract Task<string> ReadTextAsync(string key);

    /// <summary>Writes an object whole, as another tool would.</summary>
    public abstract Task WriteTextAsync(string key, string text);

    /// <summary>Removes every object and open upload under <paramref name="prefix"/>.</summary>
    public abstract Task DeleteAllAsync(string prefix);
}
