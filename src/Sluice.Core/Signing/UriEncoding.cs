namespace Sluice.Core.Signing;

/// <summary>
/// SigV4's percent-encoding: every byte except <c>A-Z a-z 0-9 - . _ ~</c> becomes
/// <c>%XX</c> (upper-case hex); <c>/</c> is kept only inside object paths. Works on
/// UTF-8 bytes so that no <see cref="System.Uri"/> normalisation can creep in.
/// </summary>
internal static class UriEncoding
{
    private static ReadOnlySpan<byte> HexUpper => "0123456789ABCDEF"u8;

    public static bool IsUnreserved(byte b) =>
        (uint)((b | 0x20) - 'a') <= 'z' - 'a' || (uint)(b - '0') <= 9 || b == '-' || b == '.' || b == '_' || b == '~';

    /// <summary>Writes <paramref name="source"/> encoded into <paramref name="destination"/>, returning the bytes written.</summary>
    public static int Encode(ReadOnlySpan<byte> source, Span<byte> destination, bool keepSlash)
    {
        int w = 0;
        foreach (byte b in source)
        {
            if (IsUnreserved(b) || (keepSlash && b == '/'))
            {
                destination[w++] = b;
            }
            else
            {
                destination[w] = (byte)'%';
                destination[w + 1] = HexUpper[b >> 4];
                destination[w + 2] = HexUpper[b & 0xF];
                w += 3;
            }
        }

        return w;
    }

    /// <summary>Encodes an ASCII-or-Unicode string as UTF-8 then percent-encodes it.</summary>
    public static int Encode(string value, Span<byte> destination, Span<byte> scratch, bool keepSlash)
    {
        int n = System.Text.Encoding.UTF8.GetBytes(value, scratch);
        return Encode(scratch[..n], destination, keepSlash);
    }

    public static void WriteHexLower(ReadOnlySpan<byte> bytes, Span<byte> destination)
    {
        ReadOnlySpan<byte> hex = "0123456789abcdef"u8;
        for (int i = 0; i < bytes.Length; i++)
        {
            destination[2 * i] = hex[bytes[i] >> 4];
            destination[(2 * i) + 1] = hex[bytes[i] & 0xF];
        }
    }
}
