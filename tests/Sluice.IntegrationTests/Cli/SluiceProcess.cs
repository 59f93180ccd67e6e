using System.Diagnostics;

namespace Sluice.IntegrationTests.Cli;

/// <summary>Runs <c>sluice</c> (<see cref="SluiceExecutable"/>) as a separate process, with an environment the test controls.</summary>
public static class SluiceProcess
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    public static async Task<Result> RunAsync(IEnumerable<string> arguments, string? standardInput = null, IDictionary<string, string>? environment = null)
    {
        ProcessStartInfo start = SluiceExecutable.StartInfo(arguments);

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

    /// <summary>
    /// Runs <c>sluice</c> on a pseudo-terminal (util-linux's <c>script</c>), as a person at a
    /// console would, until its output holds <paramref name="until"/>; then ends it and returns the output.
    /// </summary>
    public static async Task<string> RunOnTerminalUntilAsync(IEnumerable<string> arguments, string until, IDictionary<string, string> environment)
    {
        string command = string.Join(' ', SluiceExecutable.CommandLine(arguments).Select(Quote));
        var start = new ProcessStartInfo("script") { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (string argument in new[] { "-qfec", command, "/dev/null" })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            char[] buffer = new char[4096];
            while (!output.ToString().Contains(until, StringComparison.Ordinal))
            {
                int read = await process.StandardOutput.ReadAsync(buffer, timeout.Token);
                if (read == 0)
                {
                    break;
                }

                output.Append(buffer, 0, read);
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }

        return output.ToString();
    }

    private static string Quote(string argument) => "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
