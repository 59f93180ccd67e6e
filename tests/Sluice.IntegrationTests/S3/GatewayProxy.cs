using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Sluice.IntegrationTests.S3;

/// <summary>
/// A TCP forwarder on a loopback port to the gateway, with the faults of a real network a test
/// asks for: client bytes let through at no more than <see cref="BytesPerSecond"/> per connection
/// (0: unlimited), so a test can stop an upload half way; and the byte at <see cref="FlipServerByteAt"/>
/// of each connection's server-to-client stream inverted (-1: none), as a faulty path would, so
/// that only a check of the bytes against the object's ETag can tell. SigV4 signs the Host
/// header: an account or store whose host is this proxy gets URLs signed for it, and the gateway,
/// receiving that same Host header, accepts them.
/// </summary>
public sealed class GatewayProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    private int _flipped;
    private int _connections;

    public GatewayProxy(Uri target)
    {
        _targetHost = target.Host;
        _targetPort = target.Port;
        _listener.Start();
        _accepting = Task.Run(AcceptAsync);
    }

    public long BytesPerSecond { get; set; }

    public long FlipServerByteAt { get; init; } = -1;

    /// <summary>How many bytes were inverted so far (one per connection that carried enough).</summary>
    public int Flipped => Volatile.Read(ref _flipped);

    /// <summary>How many connections clients opened through the proxy so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>host:port to give an account instead of the gateway's.</summary>
    public string Authority => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client = await _listener.AcceptTcpClientAsync(_stop.Token);
            Interlocked.Increment(ref _connections);
            _ = Task.Run(() => ForwardAsync(client));
        }
    }

    private async Task ForwardAsync(TcpClient client)
    {
        using (client)
        using (var upstream = new TcpClient())
        {
            try
            {
                await upstream.ConnectAsync(_targetHost, _targetPort, _stop.Token);
                using var done = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                Task up = PumpAsync(client.GetStream(), upstream.GetStream(), throttled: true, flipAt: -1, done.Token);
                Task down = PumpAsync(upstream.GetStream(), client.GetStream(), throttled: false, FlipServerByteAt, done.Token);
                await Task.WhenAny(up, down);
                await done.CancelAsync();
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
    }

    private async Task PumpAsync(Stream from, Stream to, bool throttled, long flipAt, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[64 * 1024];
        var clock = Stopwatch.StartNew();
        long sent = 0, position = 0;
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (flipAt >= position && flipAt < position + read)
                {
                    buffer[flipAt - position] ^= 0xFF;
                    Interlocked.Increment(ref _flipped);
                }

                position += read;
                await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                sent += read;
                long rate = BytesPerSecond;
                if (throttled && rate > 0)
                {
                    TimeSpan due = TimeSpan.FromSeconds((double)sent / rate) - clock.Elapsed;
                    if (due > TimeSpan.Zero)
                    {
                        await Task.Delay(due, cancellationToken);
                    }
                }
                else
                {
                    // Unthrottled now: measure from here, so a later throttle does not start in debt.
                    sent = 0;
                    clock.Restart();
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }
}
