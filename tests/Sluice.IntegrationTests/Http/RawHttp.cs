using System.Net.Sockets;
using System.Text;

namespace Sluice.IntegrationTests.Http;

/// <summary>
/// HTTP/1.1 over a plain socket, for request targets no client library would send as they are
/// (raw non-ASCII bytes, unusual forms). Sends one request with <c>Connection: close</c> and
/// reads the whole answer.
/// </summary>
public static class RawHttp
{
    public sealed record Response(int Status, IReadOnlyDictionary<string, string> Headers, string Body);

    public static Task<Response> SendAsync(Uri server, string method, byte[] target, string? contentType = null, byte[]? body = null)
    {
        var request = new MemoryStream();
        request.Write(Encoding.ASCII.GetBytes(method + " "));
        request.Write(target);
        request.Write(Encoding.ASCII.GetBytes($" HTTP/1.1\r\nHost: {server.Authority}\r\n{SluiceTestHost.AuthorizationLine(server)}Connection: close\r\n"));
        if (contentType is not null)
        {
            request.Write(Encoding.ASCII.GetBytes($"Content-Type: {contentType}\r\n"));
        }

        request.Write(Encoding.ASCII.GetBytes($"Content-Length: {body?.Length ?? 0}\r\n\r\n"));
        if (body is not null)
        {
            request.Write(body);
        }

        return SendRequestAsync(server, request.ToArray());
    }

    /// <summary>Sends <paramref name="request"/> (request line, headers and body) exactly as given.</summary>
    public static async Task<Response> SendRequestAsync(Uri server, byte[] request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        await using NetworkStream stream = client.GetStream();
        await stream.WriteAsync(request);
        using var answer = new MemoryStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await stream.CopyToAsync(answer, timeout.Token);
        return ParseResponse(answer.ToArray());
    }

    public static Task<Response> SendAsync(Uri server, string method, string target, string? contentType = null, string? body = null) =>
        SendAsync(server, method, Encoding.UTF8.GetBytes(target), contentType, body is null ? null : Encoding.UTF8.GetBytes(body));

    private static Response ParseResponse(byte[] bytes)
    {
        int headEnd = bytes.AsSpan().IndexOf("\r\n\r\n"u8);
        Assert.True(headEnd > 0, $"no complete response head in: {Encoding.UTF8.GetString(bytes)}");
        string[] lines = Encoding.ASCII.GetString(bytes, 0, headEnd).Split("\r\n");
        string[] statusLine = lines[0].Split(' ', 3);
        Assert.Equal("HTTP/1.1", statusLine[0]);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string line in lines.Skip(1))
        {
            int colon = line.IndexOf(':');
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        byte[] body = bytes[(headEnd + 4)..];
        if (headers.TryGetValue("Transfer-Encoding", out string? encoding) && encoding.Equals("chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = Dechunk(body);
        }

        return new Response(int.Parse(statusLine[1], System.Globalization.CultureInfo.InvariantCulture), headers, Encoding.UTF8.GetString(body));
    }

    private static byte[] Dechunk(byte[] chunked)
    {
        var result = new MemoryStream();
        int at = 0;
        while (true)
        {
            int lineEnd = at + chunked.AsSpan(at).IndexOf("\r\n"u8);
            int size = Convert.ToInt32(Encoding.ASCII.GetString(chunked, at, lineEnd - at).Split(';')[0], 16);
            if (size == 0)
            {
                return result.ToArray();
            }

            result.Write(chunked, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
    }
}
