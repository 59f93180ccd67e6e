using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Sluice.IntegrationTests.Http;
using Xunit.Abstractions;

namespace Sluice.IntegrationTests.Credentials;

/// <summary>
/// <c>dotnet sluice.dll serve</c> as a separate process, because the AWS SDK's credential
/// providers read the process environment. The environment is built from scratch: PATH, a
/// temporary HOME (no <c>~/.aws</c> of this machine), a temporary data directory, the .NET
/// variables the host needs, an admin token, and then exactly the variables the test gives
/// (no <c>AWS_*</c> unless the test sets it; <c>AWS_EC2_METADATA_DISABLED=true</c> unless the
/// test says otherwise). Disposing kills the process and removes its directory.
/// </summary>
public sealed class SluiceServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output;
    private readonly string _directory;

    private SluiceServerProcess(Process process, StringBuilder output, string directory, Uri baseAddress, string adminToken)
    {
        _process = process;
        _output = output;
        _directory = directory;
        BaseAddress = baseAddress;
        Client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(120),
            DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", adminToken) },
        };
    }

    public Uri BaseAddress { get; }

    /// <summary>A client for the server that sends its admin token.</summary>
    public HttpClient Client { get; }

    /// <summary>Everything the server wrote to standard output and error so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <param name="environment">The AWS_* and Sluice__* variables of this scenario (null removes one of the defaults).</param>
    /// <param name="output">Gets the server's output when the server is disposed, so it shows with the test's result.</param>
    public static async Task<SluiceServerProcess> StartAsync(IReadOnlyDictionary<string, string?> environment, ITestOutputHelper? output = null)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                var server = await TryStartAsync(environment);
                server.OutputSink = output is null ? null : output.WriteLine;
                return server;
            }
            catch (PortTakenException) when (attempt < 3)
            {
                // Another process took the port between our probe and the server's bind: pick another.
            }
        }
    }

    private static async Task<SluiceServerProcess> TryStartAsync(IReadOnlyDictionary<string, string?> environment)
    {
        string directory = Path.Combine(Path.GetTempPath(), "sluice-serve-" + Guid.NewGuid().ToString("N")[..12]);
        string home = Directory.CreateDirectory(Path.Combine(directory, "home")).FullName;
        string data = Path.Combine(directory, "data");
        int port = FreePort();
        string adminToken = "sluice_cred_test_" + Guid.NewGuid().ToString("N");

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "sluice.dll"));
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");

        start.Environment.Clear();
        start.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        start.Environment["HOME"] = home;
        foreach (string name in new[] { "DOTNET_ROOT", "DOTNET_ROOT_X64", "DOTNET_ROOT_ARM64" })
        {
            if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } value)
            {
                start.Environment[name] = value;
            }
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_GENERATE_ASPNET_CERTIFICATE"] = "false";
        start.Environment["SLUICE_DATA_DIR"] = data;
        start.Environment["SLUICE_ADMIN_TOKEN"] = adminToken;
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        var output = new StringBuilder();
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();

        var server = new SluiceServerProcess(process, output, directory, new Uri($"http://127.0.0.1:{port}/"), adminToken);
        try
        {
            await server.WaitUntilAnsweringAsync(TimeSpan.FromSeconds(60));
            return server;
        }
        catch
        {
            string log = server.Output;
            await server.DisposeAsync();
            if (log.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                throw new PortTakenException();
            }

            throw;
        }
    }

    private async Task WaitUntilAnsweringAsync(TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"sluice serve exited with {_process.ExitCode} before answering:\n{Output}");
            }

            try
            {
                using var probe = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                using HttpResponseMessage response = await Client.GetAsync("/AwsAccount", probe.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }

                throw new InvalidOperationException($"GET /AwsAccount answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}\n{Output}");
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
                if (clock.Elapsed > limit)
                {
                    throw new TimeoutException($"sluice serve did not answer within {limit.TotalSeconds} s:\n{Output}");
                }

                await Task.Delay(100);
            }
        }
    }

    /// <summary>Creates an account without keys on the gateway (path-style, plain HTTP).</summary>
    public async Task CreateKeylessAccountAsync(string id, StsGatewayFixture gateway)
    {
        await HttpTestSupport.PutAccountAsync(Client, id, gateway.KeylessAccountYaml);
    }

    /// <summary><c>GET /aws/storage/{account}/{bucket}/{key}</c>: a download URL.</summary>
    public async Task<Presigned> PresignGetAsync(string account, string bucket, string key, int? expiration = null)
    {
        using HttpResponseMessage response = await Client.GetAsync($"/aws/storage/{account}/{bucket}/{key}{Expiration(expiration)}");
        return await Presigned.ReadAsync(response);
    }

    /// <summary><c>POST /aws/storage/{account}/{bucket}</c> with <c>filename</c>: an upload URL.</summary>
    public async Task<Presigned> PresignPutAsync(string account, string bucket, string key, int? expiration = null)
    {
        using HttpResponseMessage response = await Client.PostAsync(
            $"/aws/storage/{account}/{bucket}{Expiration(expiration)}", HttpTestSupport.Json(JsonSerializer.Serialize(new { filename = key })));
        return await Presigned.ReadAsync(response);
    }

    /// <summary>A presign request whose answer the caller inspects (a 503, say).</summary>
    public Task<HttpResponseMessage> RequestGetUrlAsync(string account, string bucket, string key) =>
        Client.GetAsync($"/aws/storage/{account}/{bucket}/{key}");

    /// <summary><c>POST /AwsAccount/{id}/$check[?bucket=]</c>: the JSON answer.</summary>
    public async Task<JsonElement> CheckAsync(string account, string? bucket = null)
    {
        using HttpResponseMessage response = await Client.PostAsync($"/AwsAccount/{account}/$check{(bucket is null ? "" : "?bucket=" + bucket)}", null);
        return await HttpTestSupport.ReadJsonAsync(response, HttpStatusCode.OK);
    }

    /// <summary>Where the server's output goes when it is disposed (a test's output, shown with its result).</summary>
    public Action<string>? OutputSink { get; set; }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
        {
            // Already gone, or it would not die in time (the kill was sent; nothing more to do).
        }

        _process.Dispose();
        OutputSink?.Invoke("--- sluice serve output ---\n" + Output);
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string Expiration(int? seconds) => seconds is { } s ? $"?expiration={s}" : "";

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    /// <summary>A port of 127.0.0.1 that was free a moment ago.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class PortTakenException : Exception;
}
