using Sluice.Core.Access;

namespace Sluice.Server.Persistence;

/// <summary>Where access tokens are kept: their public part and the SHA-256 of their secret.</summary>
public interface ITokenStore
{
    /// <summary>Stores a new token; false (and nothing stored) when a token with this secret exists already.</summary>
    Task<bool> CreateAsync(AccessToken token, byte[] secretHash, CancellationToken cancellationToken);

    /// <summary>The token whose secret hashes to <paramref name="secretHash"/>, revoked and expired ones included.</summary>
    Task<AccessToken?> FindBySecretHashAsync(byte[] secretHash, CancellationToken cancellationToken);

    Task<IReadOnlyList<AccessToken>> ListAsync(CancellationToken cancellationToken);

    /// <summary>False when there is no such token.</summary>
    Task<bool> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken);
}
