using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Sluice.Core.Signing;

/// <summary>
/// The JSON of a POST policy, written with <see cref="Utf8JsonWriter"/> so that every value is
/// escaped as JSON requires. Non-ASCII stays as UTF-8 rather than <c>\uXXXX</c>: the document is
/// base64-encoded, so HTML-safety escaping buys nothing, and the literal form is what S3-compatible
/// servers compare most reliably against the posted fields. The writer still escapes characters
/// beyond U+FFFF as surrogate pairs, which the RADOS Gateway decodes wrongly (each half on its
/// own, so a key prefix holding an emoji never matches); those pairs are written back as UTF-8.
/// </summary>
internal static class PostPolicyDocument
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Write(PostPolicyRequest request, string credential, string amzDate)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteString("expiration", request.Expiration.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            json.WriteStartArray("conditions");
            Exact(json, "bucket", request.Bucket);
            if (request.Key is { } key)
            {
                Exact(json, "key", key);
            }
            else
            {
                StartsWith(json, "$key", request.KeyPrefix!);
            }

            if (request.ContentLength is { } range)
            {
                json.WriteStartArray();
                json.WriteStringValue("content-length-range");
                json.WriteNumberValue(range.Min);
                json.WriteNumberValue(range.Max);
                json.WriteEndArray();
            }

            if (request.ContentType is { } type)
            {
                Exact(json, "Content-Type", type);
            }
            else if (request.ContentTypePrefix is { } typePrefix)
            {
                StartsWith(json, "$Content-Type", typePrefix);
            }

            if (request.SuccessActionStatus is { } status)
            {
                Exact(json, "success_action_status", status.ToString(CultureInfo.InvariantCulture));
            }

            Exact(json, "x-amz-algorithm", "AWS4-HMAC-SHA256");
            Exact(json, "x-amz-credential", credential);
            Exact(json, "x-amz-date", amzDate);
            if (request.Credentials.SessionToken is { } token)
            {
                Exact(json, "x-amz-security-token", token);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return JoinSurrogatePairs(buffer.WrittenSpan);
    }

    /// <summary>
    /// Replaces each escaped surrogate pair <c>\uD8xx\uDCxx</c> by the UTF-8 of its character.
    /// Escapes are read one by one from each backslash, so an escaped backslash followed by
    /// <c>uD83D</c> is left alone; outside strings JSON has no backslashes.
    /// </summary>
    internal static byte[] JoinSurrogatePairs(ReadOnlySpan<byte> json)
    {
        if (json.IndexOf("\\uD"u8) < 0 && json.IndexOf("\\ud"u8) < 0)
        {
            return json.ToArray();
        }

        var output = new ArrayBufferWriter<byte>(json.Length);
        int i = 0;
        while (i < json.Length)
        {
            int backslash = json[i..].IndexOf((byte)'\\');
            if (backslash < 0)
            {
                output.Write(json[i..]);
                break;
            }

            output.Write(json.Slice(i, backslash));
            i += backslash;
            if (json[i + 1] != 'u')
            {
                output.Write(json.Slice(i, 2));
                i += 2;
                continue;
            }

            int high = Hex4(json.Slice(i + 2, 4));
            if (char.IsHighSurrogate((char)high) && i + 12 <= json.Length && json[i + 6] == '\\' && json[i + 7] == 'u'
                && Hex4(json.Slice(i + 8, 4)) is var low && char.IsLowSurrogate((char)low))
            {
                var rune = new Rune((char)high, (char)low);
                output.Advance(rune.EncodeToUtf8(output.GetSpan(4)));
                i += 12;
            }
            else
            {
                output.Write(json.Slice(i, 6));
                i += 6;
            }
        }

        return output.WrittenSpan.ToArray();
    }

    private static int Hex4(ReadOnlySpan<byte> hex) =>
        System.Buffers.Text.Utf8Parser.TryParse(hex, out int value, out int consumed, 'X') && consumed == 4 ? value : -1;

    private static void Exact(Utf8JsonWriter json, string field, string value)
    {
        json.WriteStartObject();
        json.WriteString(field, value);
        json.WriteEndObject();
    }

    private static void StartsWith(Utf8JsonWriter json, string field, string prefix)
    {
        json.WriteStartArray();
        json.WriteStringValue("starts-with");
        json.WriteStringValue(field);
        json.WriteStringValue(prefix);
        json.WriteEndArray();
    }
}
