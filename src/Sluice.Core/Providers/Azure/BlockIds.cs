using System.Globalization;
using System.Text;

namespace Sluice.Core.Providers.Azure;

/// <summary>
/// Block ids that carry what S3 keeps for a part: <c>{upload id}-{part number:D5}-{MD5 hex}</c>,
/// base64. Every id of a blob has the same length (the service requires it), the part's MD5 comes
/// back with the uncommitted block list (so an upload resumes, and its parts are checked, from the
/// service's answer alone), and an upload's blocks are told from another's by the prefix.
/// </summary>
internal static class BlockIds
{
    public const int UploadIdLength = 16;

    public static string For(string uploadId, int partNumber, ReadOnlySpan<byte> md5) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes($"{uploadId}-{partNumber.ToString("D5", CultureInfo.InvariantCulture)}-{Convert.ToHexStringLower(md5)}"));

    /// <summary>The part number and MD5 (hex) of a block of <paramref name="uploadId"/>, or false for another upload's or a foreign block.</summary>
    public static bool TryRead(string blockId, string uploadId, out int partNumber, out string md5Hex)
    {
        partNumber = 0;
        md5Hex = "";
        Span<byte> bytes = stackalloc byte[64];
        if (!Convert.TryFromBase64String(blockId, bytes, out int length) || length != UploadIdLength + 1 + 5 + 1 + 32)
        {
            return false;
        }

        string text = Encoding.ASCII.GetString(bytes[..length]);
        if (!text.StartsWith(uploadId + "-", StringComparison.Ordinal)
            || !int.TryParse(text.AsSpan(UploadIdLength + 1, 5), NumberStyles.None, CultureInfo.InvariantCulture, out partNumber))
        {
            return false;
        }

        md5Hex = text[(UploadIdLength + 7)..];
        return true;
    }

    public static bool IsUploadId(string uploadId) => uploadId.Length == UploadIdLength && uploadId.All(char.IsAsciiHexDigitLower);
}
