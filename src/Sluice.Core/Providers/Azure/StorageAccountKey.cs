namespace Sluice.Core.Providers.Azure;

/// <summary>A storage account key as the portal shows it: base64 of the key's bytes.</summary>
public static class StorageAccountKey
{
    /// <summary>The key's bytes, or null when <paramref name="text"/> is not base64 of at least <paramref name="minimumBytes"/> bytes.</summary>
    public static byte[]? Decode(string text, int minimumBytes = 1)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out int written) && written >= minimumBytes ? buffer[..written] : null;
    }
}
