using System.Diagnostics;

namespace Sluice.IntegrationTests.Cli;

/// <summary>Runs the built <c>sluice</c> executable as a separate process, with an environment the test controls.</summary>
public static class SluiceProcess
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    public static async Task<Result> RunAsync(IEnumerable<string> arguments, string? standardInput = null, IDictionary<string, string>? environment = null)
    {
        string sluiceDll = Path.Combine(AppContext.BaseDirectory, "sluice.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(sluiceDll);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The machine's own AWS settings must not leak into what is under test.
        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput);
        }

        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
