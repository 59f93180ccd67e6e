using System.Security.Cryptography;
using Microsoft.AspNetCore.StaticFiles;

namespace Sluice.Server.Storage;

/// <summary>
/// The key of an upload whose client named none: an optional prefix, 26 random characters
/// (130 bits, lower-case base32: safe in any URL and on any file system), and the extension of
/// the declared content type, e.g. <c>uploads/3kq9…x1.png</c>.
/// </summary>
public static class GeneratedKey
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    // Where a type has several extensions, the one people expect; the rest come from ASP.NET Core's table.
    private static readonly Dictionary<string, string> Preferred = new(StringComparer.OrdinalIgnoreCase)
    {
        ["image/jpeg"] = ".jpg",
        ["image/tiff"] = ".tiff",
        ["text/plain"] = ".txt",
        ["text/html"] = ".html",
        ["audio/mpeg"] = ".mp3",
        ["video/mpeg"] = ".mpeg",
        ["application/octet-stream"] = "",
        ["application/x-ndjson"] = ".jsonl",
    };

    private static readonly Dictionary<string, string> ByType = BuildTable();

    public static string New(string? prefix, string? contentType)
    {
        Span<char> id = stackalloc char[26];
        Span<byte> random = stackalloc byte[26];
        RandomNumberGenerator.Fill(random);
        for (int i = 0; i < id.Length; i++)
        {
            id[i] = Alphabet[random[i] & 31];
        }

        return string.Concat(prefix ?? "", id, ExtensionOf(contentType));
    }

    /// <summary>The extension for a media type (parameters such as <c>; charset=</c> ignored), or "" when none is known.</summary>
    public static string ExtensionOf(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return "";
        }

        int parameters = contentType.IndexOf(';');
        string type = (parameters < 0 ? contentType : contentType[..parameters]).Trim();
        return ByType.GetValueOrDefault(type, "");
    }

    private static Dictionary<string, string> BuildTable()
    {
        var table = new Dictionary<string, string>(Preferred, StringComparer.OrdinalIgnoreCase);
        foreach (var (extension, type) in new FileExtensionContentTypeProvider().Mappings.OrderBy(m => m.Key.Length).ThenBy(m => m.Key, StringComparer.Ordinal))
        {
            table.TryAdd(type, extension.ToLowerInvariant());
        }

        return table;
    }
}
