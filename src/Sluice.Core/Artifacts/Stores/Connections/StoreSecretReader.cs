using Sluice.Core.Credentials;

namespace Sluice.Core.Artifacts.Stores.Connections;

/// <summary>
/// Finds a store's secret. Precedence, per store and never mixed key by key:
/// <list type="number">
/// <item>the mounted secret: when a secrets directory is set and <c>&lt;dir&gt;/&lt;secret&gt;/</c>
/// exists, that directory alone is the secret (one file per key, as Kubernetes mounts a Secret;
/// trailing newlines are trimmed, unknown files ignored);</item>
/// <item>otherwise the process environment (<c>AWS_*</c> and <c>AZURE_*</c> variables, as a Secret injected with
/// <c>envFrom</c> puts them).</item>
/// </list>
/// A mounted secret is a complete description of its connection: taking the endpoint from the
/// environment and the keys from the directory could send one store's keys to another's server.
/// </summary>
public sealed class StoreSecretReader(string? secretsDirectory, CredentialEnvironment environment)
{
    /// <exception cref="StoreConnectionException">A mounted secret's file cannot be read.</exception>
    public StoreSecret Read(string? secretName)
    {
        if (secretName is not null && secretsDirectory is not null)
        {
            string directory = Path.Combine(secretsDirectory, secretName);
            if (Directory.Exists(directory))
            {
                return ReadDirectory(secretName, directory);
            }
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string key in StoreSecret.Keys)
        {
            if (environment.Get(key) is { } value)
            {
                values[key] = value;
            }
        }

        string source = secretName is null
            ? "the environment"
            : secretsDirectory is null
                ? $"the environment (secret {secretName}; no secrets directory is set)"
                : $"the environment (secret {secretName}; {Path.Combine(secretsDirectory, secretName)} does not exist)";
        return new StoreSecret(source, values, key => $"environment variable {key}");
    }

    private static StoreSecret ReadDirectory(string secretName, string directory)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string key in StoreSecret.Keys)
        {
            string file = Path.Combine(directory, key);
            if (!File.Exists(file))
            {
                continue;
            }

            try
            {
                values[key] = File.ReadAllText(file).TrimEnd('\r', '\n');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new StoreConnectionException($"secret {secretName}: {file} cannot be read ({e.Message})");
            }
        }

        return new StoreSecret($"secret {secretName} ({directory})", values, key => Path.Combine(directory, key));
    }
}
