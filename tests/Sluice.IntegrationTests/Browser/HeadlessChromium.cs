using System.Diagnostics;
using System.Text.Json;

namespace Sluice.IntegrationTests.Browser;

/// <summary>
/// Debian's Chromium, headless, driven by Playwright from a script in tests/browser: the job goes to
/// the script as JSON on standard input (it holds tokens: not on a command line anyone can list) and
/// what the pages showed comes back as JSON on standard output. scripts/test.sh installs both and
/// sets <see cref="ChromiumVariable"/> and <see cref="DriverVariable"/>.
/// </summary>
public static class HeadlessChromium
{
    public const string ChromiumVariable = "SLUICE_TEST_CHROMIUM";
    public const string DriverVariable = "SLUICE_TEST_BROWSER_DRIVER";

    /// <summary>Set to a directory to keep screenshots there (scripts/test.sh sets it under TestResults/).</summary>
    public const string ScreenshotsVariable = "SLUICE_TEST_SCREENSHOTS";

    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(4);

    /// <summary>The directory screenshots go to, or null when none was asked for.</summary>
    public static string? ScreenshotsDirectory =>
        Environment.GetEnvironmentVariable(ScreenshotsVariable) is { Length: > 0 } dir ? Directory.CreateDirectory(dir).FullName : null;

    /// <param name="page">The upload page's URL.</param>
    /// <param name="fragment">The URL fragment to open it with (<c>token=…</c>), or null.</param>
    /// <param name="fields">Form fields by element id, typed in as a person would.</param>
    /// <param name="file">The file to choose in the file input.</param>
    public static async Task<PageReport> UploadAsync(Uri page, string? fragment, IReadOnlyDictionary<string, string> fields, string file, string name)
    {
        string? screenshots = ScreenshotsDirectory;
        var job = new
        {
            page = page.ToString(),
            fragment,
            fields,
            file,
            screenshot = screenshots is null ? null : Path.Combine(screenshots, name + ".png"),
            timeoutMs = 120_000,
        };
        return (await RunAsync("upload-page.mjs", job)).Deserialize<PageReport>(JsonSerializerOptions.Web)!;
    }

    /// <summary>Runs <paramref name="script"/> (in tests/browser) on <paramref name="job"/>, with the Chromium to drive added as <c>chromium</c>; answers what it wrote.</summary>
    public static async Task<JsonElement> RunAsync(string script, object job)
    {
        string chromium = Required(ChromiumVariable);
        string driver = Required(DriverVariable);
        var input = JsonSerializer.SerializeToNode(job)!.AsObject();
        input["chromium"] = chromium;

        var start = new ProcessStartInfo("node", [Path.Combine(driver, script)])
        {
            WorkingDirectory = driver,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var node = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        await node.StandardInput.WriteAsync(input.ToJsonString());
        node.StandardInput.Close();
        var output = node.StandardOutput.ReadToEndAsync();
        var errors = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Limit);
        try
        {
            await node.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            node.Kill(entireProcessTree: true);
            throw new TimeoutException($"The browser driver ran longer than {Limit}; it wrote: {await errors}");
        }

        string text = await output;
        if (node.ExitCode != 0 || text.Length == 0)
        {
            throw new InvalidOperationException($"The browser driver exited with {node.ExitCode}: {await errors}{text}");
        }

        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static string Required(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{name} is not set. The browser tests need Debian's Chromium and tests/browser's npm packages: run ./scripts/test.sh, which installs them and sets {ChromiumVariable} and {DriverVariable}.");
}
