namespace Sluice.Server.Hosting;

/// <summary>
/// A setting, or what it names, stops the server from starting. The message is one line that
/// names the setting and never holds a secret (a password, the encryption key):
/// <c>sluice serve</c> prints it as it is, without a stack trace.
/// </summary>
public sealed class StartupException(string message, Exception? inner = null) : InvalidOperationException(message, inner);
