using System.Security.Cryptography;
using Sluice.Server.Hosting;

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
            // The message never holds the value: it is the key.
            return TryDecode(configuredBase64) ?? throw new StartupException(
                "Sluice:EncryptionKey (SLUICE_ENCRYPTION_KEY) must be base64 of exactly 32 bytes (e.g. `openssl rand -base64 32`).");
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
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new StartupException($"Sluice:DataDirectory (SLUICE_DATA_DIR): cannot create the encryption key {path}: {e.Message}", e);
            }
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StartupException($"Sluice:DataDirectory (SLUICE_DATA_DIR): cannot read the encryption key {path}: {e.Message}", e);
        }

        return TryDecode(text.Trim()) ?? throw new StartupException($"{path} (the encryption key in Sluice:DataDirectory, SLUICE_DATA_DIR) does not hold base64 of 32 bytes.");
    }

    /// <summary>The key in <paramref name="base64"/>, or null when it is not base64 of exactly 32 bytes.</summary>
    public static byte[]? TryDecode(string base64)
    {
        byte[] buffer = new byte[48];
        return Convert.TryFromBase64String(base64, buffer, out int written) && written == 32 ? buffer[..32] : null;
    }
}
