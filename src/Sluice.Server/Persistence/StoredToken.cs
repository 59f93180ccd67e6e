using Sluice.Core.Access;

namespace Sluice.Server.Persistence;

/// <summary>A token as the database holds it: its public part and the SHA-256 of its secret.</summary>
public sealed record StoredToken(AccessToken Token, byte[] SecretHash);
