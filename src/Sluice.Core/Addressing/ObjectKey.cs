using System.Text;

namespace Sluice.Core.Addressing;

/// <summary>
/// S3 object keys: 1 to 1024 bytes of UTF-8. Everything else is legal and kept as is
/// (spaces, '+', '%', '//', '..'), except control characters, which no client can
/// send back reliably and which we refuse.
/// </summary>
public static class ObjectKey
{
    public const int MaxBytes = 1024;

    public static string? Problem(string? key)
    {
        if (CharactersProblem(key) is { } problem)
        {
            return problem;
        }

        int bytes = StrictUtf8.GetByteCount(key!);
        return bytes > MaxBytes ? $"must be at most {MaxBytes} bytes of UTF-8 (is {bytes})" : null;
    }

    /// <summary>What every store's names share: not empty, no control characters, valid Unicode.</summary>
    internal static string? CharactersProblem(string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return "must not be empty";
        }

        foreach (char ch in key)
        {
            if (char.IsControl(ch))
            {
                return "must not contain control characters";
            }
        }

        try
        {
            StrictUtf8.GetByteCount(key);
        }
        catch (EncoderFallbackException)
        {
            return "must be valid Unicode (an unpaired surrogate was found)";
        }

        return null;
    }

    internal static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
