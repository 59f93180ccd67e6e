using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Sluice.Core.Providers.Azure;

/// <summary>The protocols a SAS may be used over (<c>spr</c>); <see cref="Any"/> leaves it out.</summary>
public enum SasProtocol
{
    Any,
    Https,
    HttpsAndHttp,
}

/// <summary>
/// Blob SAS URLs, written for speed: a service SAS signed with the storage account's key, or a user
/// delegation SAS signed with a <see cref="DelegationKey"/>, HMAC-SHA256 over the service's
/// string-to-sign for <see cref="Version"/> (the 2020-12-06 layout for a service SAS; for a user
/// delegation SAS the 2026-04-06 one, with the delegated user and the signed request headers and
/// query parameters, all empty here). The string to sign and the URL are built in pooled buffers: a URL costs
/// the URL's string and nothing else. Proven against <c>Azure.Storage.Blobs</c>' <c>BlobSasBuilder</c>,
/// which writes its own newest version whatever it is asked (12.30.1: 2026-10-06, so this one too),
/// (<c>BlobSasDifferentialTests</c>) and accepted or refused by Azurite itself.
/// </summary>
public sealed class BlobSasSigner
{
    /// <summary>The service version the SAS is written for (<c>sv</c>): Azure.Storage.Blobs 12.30.1's.</summary>
    public const string Version = "2026-10-06";

    private const string TimeFormat = "yyyy-MM-ddTHH:mm:ssZ";
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    private readonly byte[] _key;
    private readonly DelegationKey? _delegation;
    private readonly string _delegationQuery = "";
    private readonly string _delegationSigned = "";

    /// <summary>A service SAS signer: <paramref name="accountKey"/> is the storage account key (decoded from its base64).</summary>
    public BlobSasSigner(string accountName, byte[] accountKey)
    {
        AccountName = accountName;
        _key = accountKey;
    }

    /// <summary>A user delegation SAS signer.</summary>
    public BlobSasSigner(string accountName, DelegationKey delegation)
    {
        AccountName = accountName;
        _key = delegation.Value;
        _delegation = delegation;
        string start = Time(delegation.StartsOn), expiry = Time(delegation.ExpiresOn);

        // The key's fields in the string to sign, then the ones this signer leaves empty: preauthorized
        // agent, agent object, correlation id, delegated user tenant and object (2025-07-05).
        _delegationSigned = string.Join('\n', delegation.ObjectId, delegation.TenantId, start, expiry, delegation.Service, delegation.Version, "", "", "", "", "");
        _delegationQuery =
            $"&skoid={Uri.EscapeDataString(delegation.ObjectId)}&sktid={Uri.EscapeDataString(delegation.TenantId)}" +
            $"&skt={Uri.EscapeDataString(start)}&ske={Uri.EscapeDataString(expiry)}" +
            $"&sks={Uri.EscapeDataString(delegation.Service)}&skv={Uri.EscapeDataString(delegation.Version)}";
    }

    public string AccountName { get; }

    /// <summary>When the delegation key stops signing valid URLs, or null for an account key.</summary>
    public DateTimeOffset? KeyExpiresOn => _delegation?.ExpiresOn;

    /// <summary>
    /// The URL of <paramref name="blob"/> in <paramref name="container"/> under <paramref name="containerUrlPrefix"/>
    /// (the service endpoint with its trailing '/': <c>https://acct.blob.core.windows.net/</c>,
    /// <c>http://127.0.0.1:10000/devstoreaccount1/</c>), with a SAS for <paramref name="permissions"/>.
    /// </summary>
    public string Url(string containerUrlPrefix, string container, string blob, SasPermissions permissions, DateTimeOffset expiresOn, DateTimeOffset? startsOn = null, SasProtocol protocol = SasProtocol.Any)
    {
        char[] url = ArrayPool<char>.Shared.Rent(containerUrlPrefix.Length + container.Length + BlobPath.MaxEscapedLength(blob.Length) + 512 + _delegationQuery.Length);
        try
        {
            Span<char> span = url;
            int at = Append(span, 0, containerUrlPrefix);
            at = Append(span, at, container);
            span[at++] = '/';
            at += BlobPath.Escape(blob, span[at..]);
            span[at++] = '?';
            at = WriteQuery(span, at, container, blob, permissions, expiresOn, startsOn, protocol);
            return new string(span[..at]);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(url);
        }
    }

    private int WriteQuery(Span<char> span, int at, string container, string blob, SasPermissions permissions, DateTimeOffset expiresOn, DateTimeOffset? startsOn, SasProtocol protocol)
    {
        Span<char> letters = stackalloc char[12];
        letters = letters[..SasPermissionLetters.Write(permissions, letters)];
        Span<char> expiry = stackalloc char[20];
        Span<char> start = stackalloc char[20];
        WriteTime(expiresOn, expiry);
        if (startsOn is { } s)
        {
            WriteTime(s, start);
        }
        else
        {
            start = default;
        }

        string protocolText = protocol switch
        {
            SasProtocol.Https => "https",
            SasProtocol.HttpsAndHttp => "https,http",
            _ => "",
        };

        Span<char> signature = stackalloc char[44];
        Sign(container, blob, letters, start, expiry, protocolText, signature);

        at = Append(span, at, "sv=" + Version);
        if (protocolText.Length > 0)
        {
            at = Append(span, at, protocol == SasProtocol.Https ? "&spr=https" : "&spr=https%2Chttp");
        }

        if (!start.IsEmpty)
        {
            at = Append(span, at, "&st=");
            at = AppendTime(span, at, start);
        }

        at = Append(span, at, "&se=");
        at = AppendTime(span, at, expiry);
        at = Append(span, at, "&sr=b&sp=");
        letters.CopyTo(span[at..]);
        at += letters.Length;
        at = Append(span, at, _delegationQuery);
        at = Append(span, at, "&sig=");
        foreach (char c in signature)
        {
            at = c switch
            {
                '+' => Append(span, at, "%2B"),
                '/' => Append(span, at, "%2F"),
                '=' => Append(span, at, "%3D"),
                _ => Put(span, at, c),
            };
        }

        return at;
    }

    /// <summary>HMAC-SHA256 of the string to sign, in base64 (44 characters).</summary>
    private void Sign(string container, string blob, ReadOnlySpan<char> letters, ReadOnlySpan<char> start, ReadOnlySpan<char> expiry, string protocol, Span<char> signature)
    {
        // Every field but the names is ASCII; the names are at most 1,024 characters each, up to 3 bytes a character.
        int capacity = 256 + AccountName.Length + 3 * (container.Length + blob.Length) + _delegationSigned.Length;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(capacity);
        try
        {
            Span<byte> text = buffer;
            int at = Ascii(text, 0, letters);
            text[at++] = (byte)'\n';
            at = Ascii(text, at, start);
            text[at++] = (byte)'\n';
            at = Ascii(text, at, expiry);
            text[at++] = (byte)'\n';
            at = Ascii(text, at, "/blob/");
            at += Utf8.GetBytes(AccountName, text[at..]);
            text[at++] = (byte)'/';
            at += Utf8.GetBytes(container, text[at..]);
            text[at++] = (byte)'/';
            int name = Utf8.GetBytes(blob, text[at..]);
            text.Slice(at, name).Replace((byte)'\\', (byte)'/'); // the service reads '\' in a blob's name as '/' (so does the SDK)
            at += name;
            text[at++] = (byte)'\n';
            if (_delegation is null)
            {
                text[at++] = (byte)'\n'; // signed identifier: none
            }
            else
            {
                at += Utf8.GetBytes(_delegationSigned, text[at..]);
                text[at++] = (byte)'\n';
            }

            text[at++] = (byte)'\n'; // signed IP: none
            at = Ascii(text, at, protocol);
            text[at++] = (byte)'\n';
            at = Ascii(text, at, Version);
            // Signed resource b; snapshot, encryption scope, (for a user delegation SAS: signed request
            // headers and query parameters,) and the five response headers, all empty.
            at = Ascii(text, at, _delegation is null ? "\nb\n\n\n\n\n\n\n" : "\nb\n\n\n\n\n\n\n\n\n");

            Span<byte> hash = stackalloc byte[32];
            HMACSHA256.HashData(_key, text[..at], hash);
            Base64.EncodeToUtf8(hash, text, out _, out int written);
            for (int i = 0; i < written; i++)
            {
                signature[i] = (char)text[i];
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    private static void WriteTime(DateTimeOffset time, Span<char> destination) =>
        time.UtcDateTime.TryFormat(destination, out _, TimeFormat, CultureInfo.InvariantCulture);

    /// <summary>A time in a query: its ':' escaped.</summary>
    private static int AppendTime(Span<char> span, int at, ReadOnlySpan<char> time)
    {
        foreach (char c in time)
        {
            at = c == ':' ? Append(span, at, "%3A") : Put(span, at, c);
        }

        return at;
    }

    private static int Append(Span<char> span, int at, string text)
    {
        text.CopyTo(span[at..]);
        return at + text.Length;
    }

    private static int Put(Span<char> span, int at, char c)
    {
        span[at] = c;
        return at + 1;
    }

    private static int Ascii(Span<byte> destination, int at, ReadOnlySpan<char> text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            destination[at + i] = (byte)text[i];
        }

        return at + text.Length;
    }
}
