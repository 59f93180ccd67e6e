using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Sluice.IntegrationTests.Persistence;

/// <summary>
/// A PostgreSQL cluster of one test's own, through <c>scripts/postgres.sh</c>, for tests that stop
/// and resume the database: the suite's shared server must stay up for every other test.
/// </summary>
public sealed class ThrowawayPostgres : IAsyncDisposable
{
    private readonly string _directory;
    private readonly int _port;

    private ThrowawayPostgres(string directory, int port)
    {
        _directory = directory;
        _port = port;
    }

    /// <summary>The database's connection string (superuser, trust authentication on 127.0.0.1).</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={_port};Username=postgres;Database=sluice_outage";

    public static async Task<ThrowawayPostgres> StartAsync()
    {
        // Run as root, the server runs as `postgres`, which must reach the directory: /tmp is searchable by all.
        string directory = Path.Combine("/tmp", "sluice-pg-" + Guid.NewGuid().ToString("N")[..12]);
        for (int attempt = 1; ; attempt++)
        {
            var cluster = new ThrowawayPostgres(directory, FreePort());
            try
            {
                await cluster.RunAsync("start");
                return cluster;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                await cluster.RunAsync("stop");
            }
        }
    }

    /// <summary>Stops the server (fast shutdown: every connection is closed); its data stays.</summary>
    public Task StopAsync() => RunAsync("stop");

    /// <summary>Starts the stopped server again on the same port, with its data.</summary>
    public Task ResumeAsync() => RunAsync("resume");

    public async ValueTask DisposeAsync()
    {
        await RunAsync("stop");
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private async Task RunAsync(string command)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot(), "scripts", "postgres.sh"));
        start.ArgumentList.Add(command);
        start.ArgumentList.Add(_directory);
        start.Environment["PG_PORT"] = _port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["PG_DATABASE"] = "sluice_outage";
        using var process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/postgres.sh {command} exited {process.ExitCode}:\n{await output}\n{await errors}");
        }
    }

    /// <summary>The checkout's root: where <c>scripts/</c> is (the test fixtures that start a server with a script use it).</summary>
    internal static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "scripts", "postgres.sh")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("scripts/postgres.sh not found above " + AppContext.BaseDirectory);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
