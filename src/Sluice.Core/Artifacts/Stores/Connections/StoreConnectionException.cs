namespace Sluice.Core.Artifacts.Stores.Connections;

/// <summary>
/// A store that cannot be connected to as configured: a secret that cannot be read, a value in it
/// that is not what is expected. The message names the secret and the key, never a secret value.
/// </summary>
public sealed class StoreConnectionException(string message) : Exception(message);
