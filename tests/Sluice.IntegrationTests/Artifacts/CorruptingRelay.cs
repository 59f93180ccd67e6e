using System.Net;
using System.Net.Sockets;

namespace Sluice.IntegrationTests.Artifacts;

/// <summary>
/// A TCP relay to the gateway that passes every byte through unchanged except one: the byte at
/// <c>flipAt</c> in each connection's server-to-client stream has its bits inverted, as a faulty
/// network path would. What a client receives then differs from what the server sent, and only a
/// check of the bytes against the object's ETag can tell.
/// </summary>
internal sealed class CorruptingRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly long _flipAt;
    private int _flipped;

    public CorruptingRelay(Uri target, long flipAt)
    {
        _targetHost = target.Host;
        _targetPort = target.Port;
        _flipAt = flipAt;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string Authority => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>How many bytes were changed so far (one per connection that carried enough data).</summary>
    public int Flipped => Volatile.Read(ref _flipped);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting.ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var server = new TcpClient())
        {
            try
            {
                await server.ConnectAsync(_targetHost, _targetPort, _stop.Token);
                Stream toClient = client.GetStream(), toServer = server.GetStream();
                Task up = CopyAsync(toClient, toServer, flipAt: -1);
                Task down = CopyAsync(toServer, toClient, _flipAt);
                await Task.WhenAny(up, down);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
                // A connection closed by either side ends its relay.
            }
        }
    }

    private async Task CopyAsync(Stream from, Stream to, long flipAt)
    {
        byte[] buffer = new byte[64 * 1024];
        long position = 0;
        int read;
        while ((read = await from.ReadAsync(buffer, _stop.Token)) > 0)
        {
            if (flipAt >= position && flipAt < position + read)
            {
                buffer[flipAt - position] ^= 0xFF;
                Interlocked.Increment(ref _flipped);
            }

            position += read;
            await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
        }
    }
}
