using System.Diagnostics;
using System.Globalization;
using System.Text;
using Sluice.IntegrationTests.Cli;

namespace Sluice.IntegrationTests.Artifacts;

/// <summary>
/// The real <c>sluice</c> executable (<see cref="SluiceExecutable"/>) as a child process that a test can watch (its output as it
/// comes, its peak resident memory from /proc) and kill. The machine's AWS_* and SLUICE_* settings
/// (and a pod's names) are removed; the test gives the environment.
/// </summary>
public sealed class SluiceChild : IDisposable
{
    /// <summary>What <c>logs</c> reads a line's node and pod from, unless a test gives them (the machine may be a pod).</summary>
    private static readonly string[] DownwardApi = ["POLYAXON_K8S_NODE_NAME", "NODE_NAME", "POD_NAME", "KUBERNETES_SERVICE_HOST", "HOSTNAME"];

    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Task _watch;
    private readonly CancellationTokenSource _stopWatching = new();
    private long _peakRss;

    private SluiceChild(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(_stdout, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        _watch = Task.Run(WatchMemoryAsync);
    }

    public sealed record Result(int ExitCode, string StandardOutput, string StandardError, long PeakRssBytes)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{StandardOutput}\n--- stderr\n{StandardError}";
    }

    /// <summary>The child's stdin, when started with <c>keepInputOpen</c>; close it for end of input.</summary>
    public StreamWriter Input => _process.StandardInput;

    public string StandardOutput
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    /// <param name="keepInputOpen">Leave stdin open for <see cref="Input"/> (otherwise it is closed at once: no input).</param>
    public static SluiceChild Start(IEnumerable<string> arguments, IDictionary<string, string> environment, bool keepInputOpen = false)
    {
        ProcessStartInfo start = SluiceExecutable.StartInfo(arguments);

        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal) || k.StartsWith("SLUICE_", StringComparison.Ordinal) || DownwardApi.Contains(k)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start)!;
        if (!keepInputOpen)
        {
            process.StandardInput.Close();
        }

        return new SluiceChild(process);
    }

    public static async Task<Result> RunAsync(IEnumerable<string> arguments, IDictionary<string, string> environment, TimeSpan? timeout = null)
    {
        using SluiceChild child = Start(arguments, environment);
        return await child.WaitAsync(timeout ?? TimeSpan.FromMinutes(2));
    }

    public async Task<Result> WaitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"sluice did not finish within {timeout}:\n{StandardOutput}");
        }

        _process.WaitForExit(); // the output readers are done too
        await _stopWatching.CancelAsync();
        await _watch;
        string stderr;
        lock (_stderr)
        {
            stderr = _stderr.ToString();
        }

        return new Result(_process.ExitCode, StandardOutput, stderr, Interlocked.Read(ref _peakRss));
    }

    /// <summary>SIGTERM, as Kubernetes stops a pod's containers when its job ends.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>SIGKILL, as an evicted pod or an OOM kill would end it: no cleanup runs.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
    }

    public void Dispose()
    {
        Kill();
        _stopWatching.Cancel();
        _process.Dispose();
        _stopWatching.Dispose();
    }

    private async Task WatchMemoryAsync()
    {
        string status = $"/proc/{_process.Id}/status";
        while (!_stopWatching.IsCancellationRequested)
        {
            try
            {
                foreach (string line in await File.ReadAllLinesAsync(status))
                {
                    if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    {
                        long kib = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
                        Interlocked.Exchange(ref _peakRss, Math.Max(Interlocked.Read(ref _peakRss), kib * 1024));
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return; // exited
            }

            try
            {
                await Task.Delay(50, _stopWatching.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static void Append(StringBuilder text, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (text)
        {
            text.Append(line).Append('\n');
        }
    }
}
