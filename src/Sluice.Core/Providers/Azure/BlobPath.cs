namespace Sluice.Core.Providers.Azure;

/// <summary>
/// A blob's name in a URL path: each '/'-separated segment percent-encoded as UTF-8, everything but
/// RFC 3986's unreserved characters (<c>A-Z a-z 0-9 - . _ ~</c>) escaped, '/' kept. Empty segments
/// stay (<c>a//b</c> is another blob than <c>a/b</c>); the service's canonical name is the unescaped one.
/// </summary>
public static class BlobPath
{
    private const string Hex = "0123456789ABCDEF";

    /// <summary>
    /// The most characters <see cref="Escape"/> writes for a name of <paramref name="chars"/> UTF-16
    /// characters: each becomes at most three UTF-8 bytes, each byte three characters.
    /// </summary>
    public static int MaxEscapedLength(int chars) => 9 * chars;

    /// <summary>Writes <paramref name="name"/> escaped into <paramref name="destination"/> (room for <see cref="MaxEscapedLength"/>); returns how many characters.</summary>
    public static int Escape(ReadOnlySpan<char> name, Span<char> destination)
    {
        int at = 0;
        Span<byte> utf8 = stackalloc byte[4];
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (IsKept(c))
            {
                destination[at++] = c;
                continue;
            }

            System.Text.Rune rune;
            if (char.IsHighSurrogate(c) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]))
            {
                rune = new System.Text.Rune(c, name[++i]);
            }
            else
            {
                rune = new System.Text.Rune(char.IsSurrogate(c) ? '\uFFFD' : c); // a lone surrogate is no text: as .NET encodes it
            }

            int bytes = rune.EncodeToUtf8(utf8);
            for (int b = 0; b < bytes; b++)
            {
                destination[at++] = '%';
                destination[at++] = Hex[utf8[b] >> 4];
                destination[at++] = Hex[utf8[b] & 0xF];
            }
        }

        return at;
    }

    private static bool IsKept(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' or '/';
}
