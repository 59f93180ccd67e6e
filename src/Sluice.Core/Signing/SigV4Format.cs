namespace Sluice.Core.Signing;

/// <summary>The fixed pieces of SigV4 text and the digit writers for its timestamps.</summary>
internal static class SigV4Format
{
    public static ReadOnlySpan<byte> Algorithm => "AWS4-HMAC-SHA256"u8;

    public static ReadOnlySpan<byte> ScopeTail => "/s3/aws4_request"u8;

    public static void WriteDigits(Span<byte> destination, int value, int count)
    {
        for (int i = count - 1; i >= 0; i--)
        {
            destination[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }

    public static void WriteDigits(Span<byte> destination, long value, int count)
    {
        for (int i = count - 1; i >= 0; i--)
        {
            destination[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }

    /// <summary>Writes <c>yyyyMMddTHHmmssZ</c> (16 bytes) for a UTC instant.</summary>
    public static void WriteTimestamp(Span<byte> destination, DateTime utc)
    {
        WriteDigits(destination, DateOf(utc), 8);
        destination[8] = (byte)'T';
        WriteDigits(destination[9..], (utc.Hour * 10000) + (utc.Minute * 100) + utc.Second, 6);
        destination[15] = (byte)'Z';
    }

    public static int DateOf(DateTime utc) => (utc.Year * 10000) + (utc.Month * 100) + utc.Day;

    public static int DigitCount(int value) => DigitCount((long)value);

    public static int DigitCount(long value)
    {
        int n = 1;
        while (value >= 10)
        {
            value /= 10;
            n++;
        }

        return n;
    }
}
