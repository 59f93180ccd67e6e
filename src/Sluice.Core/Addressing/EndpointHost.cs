using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Sluice.Core.Addressing;

/// <summary>An S3-compatible endpoint given as <c>host[:port]</c>: a DNS name, IPv4 or [IPv6].</summary>
public readonly record struct EndpointHost(string Host, int? Port)
{
    /// <summary>The value S3 signs as <c>host</c>: the port is kept unless it is the scheme's default.</summary>
    public string Authority(bool useSsl) =>
        Port is null || Port == (useSsl ? 443 : 80) ? Host : string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}");

    public override string ToString() => Port is null ? Host : string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}");

    public static bool TryParse(string? text, out EndpointHost host, out string? problem)
    {
        host = default;
        problem = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            problem = "must not be empty";
            return false;
        }

        if (text.Contains("://", StringComparison.Ordinal))
        {
            problem = "must be host[:port] without a scheme (set use-ssl: false for http)";
            return false;
        }

        if (text.IndexOfAny(['/', '?', '#', '@', ' ']) >= 0)
        {
            problem = "must be host[:port] with no path, query, user or spaces";
            return false;
        }

        string name = text;
        string? portText = null;
        if (text.StartsWith('['))
        {
            int close = text.IndexOf(']');
            if (close < 0 || !IPAddress.TryParse(text[1..close], out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                problem = "has an invalid IPv6 address (write it as [address]:port)";
                return false;
            }

            name = text[..(close + 1)].ToLowerInvariant();
            if (close + 1 < text.Length)
            {
                if (text[close + 1] != ':')
                {
                    problem = "must be host[:port]";
                    return false;
                }

                portText = text[(close + 2)..];
            }
        }
        else
        {
            int colon = text.LastIndexOf(':');
            if (colon >= 0)
            {
                name = text[..colon];
                portText = text[(colon + 1)..];
            }

            name = name.ToLowerInvariant();
            if (!IsDnsName(name))
            {
                problem = "must be a DNS name, an IPv4 address or [IPv6], optionally with :port";
                return false;
            }
        }

        int? port = null;
        if (portText is not null)
        {
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out int p) || p is < 1 or > 65535)
            {
                problem = "has a port that is not a number from 1 to 65535";
                return false;
            }

            port = p;
        }

        host = new EndpointHost(name, port);
        return true;
    }

    private static bool IsDnsName(string name)
    {
        if (name.Length is 0 or > 253)
        {
            return false;
        }

        foreach (string label in name.Split('.'))
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-')
            {
                return false;
            }

            foreach (char ch in label)
            {
                if (!(char.IsAsciiLetterOrDigit(ch) || ch == '-'))
                {
                    return false;
                }
            }
        }

        return true;
    }
}
