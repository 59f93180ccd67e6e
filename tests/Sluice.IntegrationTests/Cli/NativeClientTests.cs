using System.Diagnostics;

namespace Sluice.IntegrationTests.Cli;

/// <summary>
/// The native client that scripts/test.sh publishes (scripts/publish-native.sh) and hands to every
/// client test through <see cref="SluiceExecutable"/>: one executable that needs no .NET runtime.
/// </summary>
public sealed class NativeClientTests
{
    [Fact]
    public async Task The_client_under_test_is_one_native_executable_that_runs_alone_with_no_dotnet_anywhere()
    {
        string? native = SluiceExecutable.NativeClient;
        Assert.True(native is not null, $"{SluiceExecutable.NativeClientVariable} is not set: run the tests with scripts/test.sh, which publishes the native client and names it there");

        // An ELF executable, not an apphost: copied alone into an empty folder (no sluice.dll, no
        // runtime beside it), with no dotnet on PATH or in DOTNET_ROOT, it still runs.
        byte[] head = new byte[4];
        await using (var file = File.OpenRead(native))
        {
            await file.ReadExactlyAsync(head);
        }

        Assert.Equal("\u007fELF"u8.ToArray(), head);
        string alone = Directory.CreateTempSubdirectory("sluice-native-").FullName;
        try
        {
            string copy = Path.Combine(alone, "sluice");
            File.Copy(native, copy); // keeps the executable bit

            var version = await RunAloneAsync(copy, alone, "--version");
            var fullBuild = await RunAsync(new ProcessStartInfo("dotnet", [SluiceExecutable.FullBuild, "--version"]));
            Assert.True(version.ExitCode == 0, version.StandardError);
            Assert.Equal(0, fullBuild.ExitCode);
            Assert.Equal(fullBuild.StandardOutput.Trim(), version.StandardOutput.Trim());

            // serve is not in it: one line that says which build has it, and no stack trace.
            var serve = await RunAloneAsync(copy, alone, "serve");
            Assert.Equal(2, serve.ExitCode);
            Assert.Equal("sluice serve: this is the native client build of sluice, which has no server; run the server from the full build (the container image, or dotnet publish src/Sluice.Cli)", serve.StandardError.TrimEnd('\n'));
            var help = await RunAloneAsync(copy, alone, "--help");
            Assert.Equal(0, help.ExitCode);
            Assert.Contains("  artifacts ", help.StandardOutput);
            Assert.DoesNotContain("  serve ", help.StandardOutput);
        }
        finally
        {
            Directory.Delete(alone, recursive: true);
        }
    }

    private static Task<SluiceProcess.Result> RunAloneAsync(string executable, string home, params string[] arguments)
    {
        var start = new ProcessStartInfo(executable, arguments);
        start.Environment.Clear();
        start.Environment["PATH"] = "/nonexistent";
        start.Environment["DOTNET_ROOT"] = "/nonexistent";
        start.Environment["HOME"] = home;
        return RunAsync(start);
    }

    private static async Task<SluiceProcess.Result> RunAsync(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        using var process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        return new SluiceProcess.Result(process.ExitCode, await stdout, await stderr);
    }
}
