using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sluice.Core.Credentials;
using Sluice.Server.Hosting;

namespace Sluice.IntegrationTests.Http;

/// <summary>
/// The real server on a real Kestrel listener (<c>http://127.0.0.1:0</c>, the port the OS
/// gives), on a temporary data directory, with every log entry of every category captured at
/// Trace level. It can be stopped and started again on the same directory; the directory is
/// deleted when the host is disposed.
/// </summary>
public sealed class SluiceTestHost : IAsyncDisposable, IDisposable
{
    private readonly CapturingLoggerProvider _logs = new();
    private WebApplication? _app;
    private HttpClient? _client;
    private bool _disposed;

    private readonly IReadOnlyDictionary<string, string?> _settings;

    private readonly TimeProvider? _time;

    private SluiceTestHost(string dataDirectory, string? encryptionKey, IReadOnlyDictionary<string, string?>? settings, TimeProvider? time)
    {
        DataDirectory = dataDirectory;
        EncryptionKey = encryptionKey;
        _settings = settings ?? new Dictionary<string, string?>();
        _time = time;
    }

    /// <summary>The data directory (the SQLite file and, without a configured key, <c>encryption.key</c>).</summary>
    public string DataDirectory { get; }

    /// <summary>The configured <c>Sluice:EncryptionKey</c>, or null for the key generated into the data directory.</summary>
    public string? EncryptionKey { get; }

    /// <summary>The admin token the server is started with; <see cref="Client"/> sends it.</summary>
    public string AdminToken { get; } = "sluice_test_admin_" + Guid.NewGuid().ToString("N");

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> AdminTokens = new();

    /// <summary>The <c>Authorization</c> header line (with CRLF) for raw requests to a running test server.</summary>
    public static string AuthorizationLine(Uri server) => $"Authorization: Bearer {AdminTokens[server.Authority]}\r\n";

    /// <summary>Where the running server listens, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>A client for the running server (a new one after each restart).</summary>
    public HttpClient Client => _client ?? throw new InvalidOperationException("The server is not running.");

    public bool IsRunning => _app is not null;

    /// <summary>Everything logged so far, by every run of the server on this host.</summary>
    public string LogText => _logs.Text;

    public IReadOnlyCollection<string> LogEntries => _logs.Entries;

    public string DatabasePath => Path.Combine(DataDirectory, SluiceServer.DatabaseFileName);

    /// <param name="settings">More configuration, e.g. <c>Sluice:RateLimitPerSecond</c>.</param>
    /// <param name="time">The server's clock (signing times, token expiry), e.g. a frozen one; default: the system's.</param>
    public static async Task<SluiceTestHost> StartAsync(string? encryptionKey = null, IReadOnlyDictionary<string, string?>? settings = null, TimeProvider? time = null)
    {
        string directory = Path.Combine(Path.GetTempPath(), "sluice-http-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var host = new SluiceTestHost(directory, encryptionKey, settings, time);
        try
        {
            await host.StartServerAsync();
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>An absolute URL on the server whose path and query are sent exactly as written (no dot-segment removal, no re-escaping).</summary>
    public Uri RawUrl(string pathAndQuery)
    {
        if (!pathAndQuery.StartsWith('/'))
        {
            throw new ArgumentException("must start with '/'", nameof(pathAndQuery));
        }

        return new Uri(BaseAddress.GetLeftPart(UriPartial.Authority) + pathAndQuery, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
    }

    public async Task StopAsync()
    {
        _client?.Dispose();
        _client = null;
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>Stops the server and starts a new one on the same data directory, with the same configuration.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await StartServerAsync();
    }

    private async Task StartServerAsync()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_app is not null)
        {
            throw new InvalidOperationException("The server is already running.");
        }

        var app = SluiceServer.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            var settings = new Dictionary<string, string?>
            {
                [$"{SluiceOptions.Section}:{nameof(SluiceOptions.DataDirectory)}"] = DataDirectory,
                [$"{SluiceOptions.Section}:{nameof(SluiceOptions.AdminToken)}"] = AdminToken,
            };
            if (EncryptionKey is not null)
            {
                settings[$"{SluiceOptions.Section}:{nameof(SluiceOptions.EncryptionKey)}"] = EncryptionKey;
            }

            foreach (var (key, value) in _settings)
            {
                settings[key] = value;
            }

            builder.Configuration.AddInMemoryCollection(settings);

            // Keyless accounts resolve against an environment the test controls, not this
            // machine's: no keys, no profile file, no container endpoint, no instance metadata.
            var credentialVariables = new Dictionary<string, string>
            {
                ["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(DataDirectory, "no-aws-credentials"),
                ["AWS_EC2_METADATA_DISABLED"] = "true",
            };
            builder.Services.AddSingleton(new CredentialEnvironment(name => credentialVariables.GetValueOrDefault(name)));
            if (_time is not null)
            {
                builder.Services.AddSingleton(_time);
            }

            // Only the capture (no console noise), at Trace for every category: the server raises
            // Microsoft.AspNetCore to Warning; a later rule for the same category wins, and a rule
            // for this provider wins over any rule for all providers.
            builder.Logging.ClearProviders();
            builder.Logging.SetMinimumLevel(LogLevel.Trace);
            builder.Logging.AddFilter("Microsoft", LogLevel.Trace);
            builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Trace);
            builder.Logging.AddFilter<CapturingLoggerProvider>(null, LogLevel.Trace);
            builder.Logging.AddProvider(_logs);
        });

        try
        {
            await app.StartAsync();
            string address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
            BaseAddress = new Uri(address.TrimEnd('/') + "/");
            if (BaseAddress.Host != "127.0.0.1" || BaseAddress.Port == 0)
            {
                throw new InvalidOperationException($"The server listens on {address}, not on a port of 127.0.0.1.");
            }
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        _app = app;
        _client = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
        })
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromSeconds(30),
            DefaultRequestHeaders = { Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminToken) },
        };
        AdminTokens[BaseAddress.Authority] = AdminToken;
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        try
        {
            await StopAsync();
        }
        finally
        {
            _disposed = true;
            DeleteDirectory(DataDirectory);
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private static void DeleteDirectory(string directory)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                if (Directory.Exists(directory))
                {
                    Directory.Delete(directory, recursive: true);
                }

                return;
            }
            catch (IOException) when (attempt < 5)
            {
                Thread.Sleep(100);
            }
        }
    }
}
