using Sluice.Core.Addressing;
using Sluice.Core.Signing;

namespace Sluice.Core.Artifacts.Stores;

/// <summary>
/// How to reach one store: where its bucket lives (<see cref="Endpoint"/>), whether TLS
/// certificates are checked, and its keys, or null for the AWS default chain.
/// </summary>
public sealed class StoreConnection(ArtifactStore store, S3Endpoint endpoint, bool verifySsl, SigningCredentials? keys, string secretSource)
{
    public ArtifactStore Store { get; } = store;

    public S3Endpoint Endpoint { get; } = endpoint;

    public bool VerifySsl { get; } = verifySsl;

    /// <summary>The secret's own keys; null when it has none and the default chain is used.</summary>
    public SigningCredentials? Keys { get; } = keys;

    /// <summary>Where the settings came from (for messages).</summary>
    public string SecretSource { get; } = secretSource;

    public override string ToString() =>
        $"{Store.Name}: {Store.BucketUrl} at {Endpoint.ServiceAuthority} ({Endpoint.Scheme}), settings from {SecretSource}, "
        + (Keys is null ? "keys from the default chain" : $"access key {Keys.AccessKeyId}");
}
