namespace Sluice.Core.Providers.Azure;

/// <summary>
/// A user delegation key, as Get User Delegation Key returns it: signs SAS URLs in the name of the
/// Entra ID principal that asked for it (<see cref="ObjectId"/>, <see cref="TenantId"/>), until <see cref="ExpiresOn"/>.
/// </summary>
public sealed record DelegationKey(
    string ObjectId,
    string TenantId,
    DateTimeOffset StartsOn,
    DateTimeOffset ExpiresOn,
    string Service,
    string Version,
    byte[] Value);
