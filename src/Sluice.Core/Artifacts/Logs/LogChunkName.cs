using System.Globalization;

namespace Sluice.Core.Artifacts.Logs;

/// <summary>
/// S3 objects cannot be appended to, so a log is a series of immutable chunks,
/// <c>logs/&lt;stream&gt;/00000001.jsonl</c>, <c>00000002.jsonl</c>, … The fixed-width number
/// makes the store's listing order the log's order.
/// </summary>
public static class LogChunkName
{
    public const string Extension = ".jsonl";
    public const int Digits = 8;
    public const string DefaultStream = "main";

    public static string Of(long sequence) => sequence.ToString("D" + Digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + Extension;

    /// <summary>The chunk's number from its file name, or null for another file.</summary>
    public static long? SequenceOf(string fileName)
    {
        if (fileName.Length != Digits + Extension.Length || !fileName.EndsWith(Extension, StringComparison.Ordinal))
        {
            return null;
        }

        return long.TryParse(fileName.AsSpan(0, Digits), NumberStyles.None, CultureInfo.InvariantCulture, out long sequence) ? sequence : null;
    }
}
