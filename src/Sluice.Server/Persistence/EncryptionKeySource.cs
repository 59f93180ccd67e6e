using System.Security.Cryptography;

namespace Sluice.Server.Persistence;

/// <summary>
/// The key that encrypts stored secrets: the configured one, or one generated once into the
/// data directory, readable by the owner only (0600).
/// </summary>
public static class EncryptionKeySource
{
    public const string FileName = "encryption.key";

    public static byte[] Load(string? configuredBase64, string dataDirectory)
    {
        if (!string.IsNullOrEmpty(configuredBase64))
        {
            return Convert.FromBase64String(configuredBase64);
        }

        string path = Path.Combine(dataDirectory, FileName);
        if (!File.Exists(path))
        {
            try
            {
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                using var writer = new StreamWriter(path, options);
                writer.Write(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another instance created it first; use theirs.
            }
        }

        byte[] key = Convert.FromBase64String(File.ReadAllText(path).Trim());
        return key.Length == 32 ? key : throw new InvalidOperationException($"{path} does not hold base64 of 32 bytes.");
    }
}
