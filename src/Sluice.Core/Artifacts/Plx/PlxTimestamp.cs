using System.Globalization;

namespace Sluice.Core.Artifacts.Plx;

/// <summary>
/// Timestamps as Polyaxon stores them. In a row: Python's <c>str(datetime)</c> of a UTC time,
/// <c>2026-12-04 00:32:29.123456+00:00</c> (the fraction left out when it is zero). In a log
/// chunk's name: the POSIX time of its last line, <c>datetime.timestamp()</c> written by Python
/// (<c>1733272349.123456</c>, see <see cref="PythonFloat"/>). Python's datetimes go to the
/// microsecond, so every time here is cut to the microsecond first (<see cref="ToMicroseconds"/>):
/// what is written reads back equal.
/// </summary>
public static class PlxTimestamp
{
    /// <summary>The time cut to whole microseconds, in UTC.</summary>
    public static DateTimeOffset ToMicroseconds(DateTimeOffset time)
    {
        long ticks = time.UtcTicks;
        return new DateTimeOffset(ticks - ticks % 10, TimeSpan.Zero);
    }

    /// <summary>Python's <c>str(datetime)</c> of the time in UTC.</summary>
    public static string Format(DateTimeOffset time)
    {
        DateTime utc = ToMicroseconds(time).UtcDateTime;
        long micros = utc.Ticks % TimeSpan.TicksPerSecond / 10;
        string seconds = utc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        return micros == 0 ? seconds + "+00:00" : $"{seconds}.{micros.ToString("D6", CultureInfo.InvariantCulture)}+00:00";
    }

    /// <summary>Python's <c>datetime.timestamp()</c>: whole microseconds since the epoch divided by a million, as Python divides integers (correctly rounded).</summary>
    public static double PosixSeconds(DateTimeOffset time) =>
        (ToMicroseconds(time).UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10 / 1e6;

    /// <summary>Reads a <see cref="PosixSeconds"/> value as written (decimal, so read exactly), to the microsecond.</summary>
    public static bool TryParsePosixSeconds(ReadOnlySpan<char> text, out DateTimeOffset time)
    {
        time = default;
        if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal seconds)
            || seconds < 0 || seconds > 253_402_300_799m)
        {
            return false;
        }

        time = DateTimeOffset.UnixEpoch.AddTicks((long)decimal.Round(seconds * 1_000_000m) * 10);
        return true;
    }

    /// <summary>
    /// Reads a stored timestamp: Python's <c>str(datetime)</c>, ISO 8601 with 'T' (legacy JSON
    /// chunks), with or without a zone (none: UTC).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, out DateTimeOffset time)
    {
        if (DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out time))
        {
            time = ToMicroseconds(time);
            return true;
        }

        return false;
    }
}
