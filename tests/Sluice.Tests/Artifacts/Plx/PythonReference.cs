using System.Diagnostics;

namespace Sluice.Tests.Artifacts.Plx;

/// <summary>
/// Runs a script in Debian's Python (<c>/usr/bin/python3</c>; another python3 may come first on
/// PATH), the reference for what traceml writes: its <c>str(datetime)</c>, <c>datetime.timestamp()</c>,
/// <c>repr(float)</c> and JSON are Python's own. <c>scripts/test.sh</c> installs it when missing.
/// </summary>
internal static class PythonReference
{
    public const string Interpreter = "/usr/bin/python3";

    /// <summary>The script's standard output for this standard input; a failure of the script fails the test.</summary>
    public static async Task<string> RunAsync(string script, string input)
    {
        Assert.True(File.Exists(Interpreter), $"{Interpreter} is missing: scripts/test.sh installs Debian's python3-minimal");
        var start = new ProcessStartInfo(Interpreter)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new System.Text.UTF8Encoding(false),
            StandardOutputEncoding = System.Text.Encoding.UTF8,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.Environment["PYTHONIOENCODING"] = "utf-8";
        using Process python = Process.Start(start)!;
        Task<string> output = python.StandardOutput.ReadToEndAsync();
        Task<string> errors = python.StandardError.ReadToEndAsync();
        await python.StandardInput.WriteAsync(input);
        python.StandardInput.Close();
        await python.WaitForExitAsync();
        Assert.True(python.ExitCode == 0, await errors);
        return await output;
    }
}
