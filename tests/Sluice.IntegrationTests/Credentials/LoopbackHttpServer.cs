using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Sluice.IntegrationTests.Credentials;

/// <summary>
/// A Kestrel listener on 127.0.0.1 that answers every request with one handler: the stand-ins
/// for the container credentials endpoint, the instance metadata service and the OIDC issuer.
/// It can be stopped (connections are then refused) and started again on the same port.
/// </summary>
public sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly RequestDelegate _handler;
    private WebApplication? _app;

    private LoopbackHttpServer(RequestDelegate handler) => _handler = handler;

    /// <summary>The port, chosen by the OS at the first start and kept across restarts.</summary>
    public int Port { get; private set; }

    /// <summary><c>http://127.0.0.1:PORT</c>, without a trailing slash.</summary>
    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public bool IsRunning => _app is not null;

    public static async Task<LoopbackHttpServer> StartAsync(RequestDelegate handler)
    {
        var server = new LoopbackHttpServer(handler);
        await server.StartAsync();
        return server;
    }

    /// <summary>Starts listening: on a port the OS picks the first time, on the same port after a stop.</summary>
    public async Task StartAsync()
    {
        if (_app is not null)
        {
            return;
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{Port}");
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        var app = builder.Build();
        app.Run(_handler);

        // Right after a stop the port can still be held for a moment: try a few times.
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await app.StartAsync();
                break;
            }
            catch (IOException) when (Port != 0 && attempt < 20)
            {
                await Task.Delay(100);
            }
        }

        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Port = new Uri(address).Port;
        _app = app;
    }

    /// <summary>Stops listening: from now on connections to the port are refused.</summary>
    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
