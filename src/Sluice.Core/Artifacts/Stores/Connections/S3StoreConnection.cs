using Sluice.Core.Addressing;
using Sluice.Core.Signing;

namespace Sluice.Core.Artifacts.Stores.Connections;

/// <summary>
/// An S3 store: where its bucket lives (<see cref="Endpoint"/>), whether TLS certificates are
/// checked, and its keys, or null for the AWS default chain.
/// </summary>
public sealed class S3StoreConnection(ArtifactStore store, S3Endpoint endpoint, bool verifySsl, SigningCredentials? keys, string secretSource)
    : StoreConnection(store, secretSource)
{
    public S3Endpoint Endpoint { get; } = endpoint;

    public bool VerifySsl { get; } = verifySsl;

    /// <summary>The secret's own keys; null when it has none and the default chain is used.</summary>
    public SigningCredentials? Keys { get; } = keys;

    public override string ToString() =>
        $"{Store.Name}: {Store.BucketUrl} at {Endpoint.ServiceAuthority} ({Endpoint.Scheme}), settings from {SecretSource}, "
        + (Keys is null ? "keys from the default chain" : $"access key {Keys.AccessKeyId}");
}
