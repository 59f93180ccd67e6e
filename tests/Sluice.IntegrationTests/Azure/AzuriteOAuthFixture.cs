using System.Diagnostics;
using System.Globalization;
using Azure.Core.Pipeline;
using Azure.Storage;
using Azure.Storage.Blobs;

namespace Sluice.IntegrationTests.Azure;

/// <summary>
/// A second Azurite, over TLS with OAuth on (Azurite takes Entra ID tokens and hands out user
/// delegation keys only so), started by <c>scripts/azurite.sh</c> on a free port with a certificate of
/// <see cref="LoopbackTls"/>, and the local <see cref="EntraTokenEndpoint"/> beside it. Microsoft's
/// client on the emulator's key sees what is stored.
/// </summary>
public sealed class AzuriteOAuthFixture : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sluice-azurite-oauth-").FullName;

    public LoopbackTls Tls { get; private set; } = null!;

    public EntraTokenEndpoint Entra { get; private set; } = null!;

    /// <summary><c>https://127.0.0.1:PORT/devstoreaccount1</c>.</summary>
    public Uri ServiceUrl { get; private set; } = null!;

    public int Port { get; private set; }

    public string ContainerName { get; } = "sluice-ud-" + Guid.NewGuid().ToString("N")[..20];

    public BlobContainerClient Container { get; private set; } = null!;

    /// <summary>A client of the test process that trusts the loopback certificate.</summary>
    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Tls = new LoopbackTls(_directory);
        Http = new HttpClient(Tls.TrustingHandler());
        Port = Credentials.SluiceServerProcess.FreePort();
        await RunScriptAsync("start");
        ServiceUrl = new Uri($"https://127.0.0.1:{Port}/{AzuriteFixture.Account}");
        var options = new BlobClientOptions { Transport = new HttpClientTransport(new HttpClient(Tls.TrustingHandler())) };
        var service = new BlobServiceClient(ServiceUrl, new StorageSharedKeyCredential(AzuriteFixture.Account, AzuriteFixture.AccountKey), options);
        Container = service.GetBlobContainerClient(ContainerName);
        await Container.CreateAsync();
        Entra = await EntraTokenEndpoint.StartAsync(Tls);
    }

    public async Task DisposeAsync()
    {
        if (Entra is not null)
        {
            await Entra.DisposeAsync();
        }

        await RunScriptAsync("stop");
        Http?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task RunScriptAsync(string command)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(Persistence.ThrowawayPostgres.RepositoryRoot(), "scripts", "azurite.sh"));
        start.ArgumentList.Add(command);
        start.ArgumentList.Add(Path.Combine(_directory, "data"));
        start.Environment["AZURITE_PORT"] = Port.ToString(CultureInfo.InvariantCulture);
        start.Environment["AZURITE_CERT"] = Tls.CertificatePath;
        start.Environment["AZURITE_KEY"] = Tls.KeyPath;
        using var process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/azurite.sh {command} exited {process.ExitCode}:\n{await output}\n{await errors}");
        }
    }
}
