namespace Sluice.Core.Credentials;

/// <summary>Reads environment variables; tests give a source their own instead of the process's.</summary>
public sealed class CredentialEnvironment(Func<string, string?> read)
{
    public static CredentialEnvironment Process { get; } = new(Environment.GetEnvironmentVariable);

    /// <summary>The variable's value, or null when it is unset or empty.</summary>
    public string? Get(string name) => read(name) is { Length: > 0 } value ? value : null;

    public bool IsTrue(string name) => string.Equals(Get(name), "true", StringComparison.OrdinalIgnoreCase);
}
