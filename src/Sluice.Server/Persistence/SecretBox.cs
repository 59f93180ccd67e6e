using System.Security.Cryptography;
using System.Text;

namespace Sluice.Server.Persistence;

/// <summary>
/// Encrypts stored secrets with AES-256-GCM. Each value gets a fresh nonce, and the
/// associated data binds it to its row and column, so a ciphertext copied onto another
/// account does not decrypt. Layout: version (1) | nonce (12) | tag (16) | ciphertext.
/// </summary>
public sealed class SecretBox
{
    private const byte Version = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int HeaderSize = 1 + NonceSize + TagSize;

    private readonly byte[] _key;

    public SecretBox(byte[] key)
    {
        if (key.Length != 32)
        {
            throw new ArgumentException("The encryption key must be 32 bytes.", nameof(key));
        }

        _key = key;
    }

    public byte[] Seal(string plaintext, string context)
    {
        byte[] data = Encoding.UTF8.GetBytes(plaintext);
        byte[] sealedValue = new byte[HeaderSize + data.Length];
        sealedValue[0] = Version;
        Span<byte> nonce = sealedValue.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, data, sealedValue.AsSpan(HeaderSize), sealedValue.AsSpan(1 + NonceSize, TagSize), Encoding.UTF8.GetBytes(context));
        CryptographicOperations.ZeroMemory(data);
        return sealedValue;
    }

    public string Open(byte[] sealedValue, string context)
    {
        if (sealedValue.Length < HeaderSize || sealedValue[0] != Version)
        {
            throw new CryptographicException($"Stored secret for {context} has an unknown format.");
        }

        byte[] data = new byte[sealedValue.Length - HeaderSize];
        using var aes = new AesGcm(_key, TagSize);
        aes.Decrypt(sealedValue.AsSpan(1, NonceSize), sealedValue.AsSpan(HeaderSize), sealedValue.AsSpan(1 + NonceSize, TagSize), data, Encoding.UTF8.GetBytes(context));
        return Encoding.UTF8.GetString(data);
    }
}
