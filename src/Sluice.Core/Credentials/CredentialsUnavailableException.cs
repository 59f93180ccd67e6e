namespace Sluice.Core.Credentials;

/// <summary>
/// No credential source could sign for an account. The message names each source tried and
/// why it failed, and never a secret, so it can be shown to the client.
/// </summary>
public sealed class CredentialsUnavailableException(string message) : Exception(message);
