using System.Diagnostics;

namespace Sluice.IntegrationTests.Cli;

/// <summary>
/// Which <c>sluice</c> a test runs. The client commands run the native client that
/// <c>scripts/publish-native.sh</c> built when <c>SLUICE_TEST_CLIENT</c> names it (scripts/test.sh
/// does), so that what users download is what is tested; <c>serve</c>, which the native build
/// leaves out, runs the full build beside the tests (<c>dotnet sluice.dll</c>), as do the client
/// commands in a plain <c>dotnet test</c> without the variable.
/// </summary>
public static class SluiceExecutable
{
    public const string NativeClientVariable = "SLUICE_TEST_CLIENT";

    public static string? NativeClient =>
        Environment.GetEnvironmentVariable(NativeClientVariable) is { Length: > 0 } path ? path : null;

    public static string FullBuild => Path.Combine(AppContext.BaseDirectory, "sluice.dll");

    /// <summary>The program and its arguments that run <c>sluice ARGUMENTS</c>.</summary>
    public static IReadOnlyList<string> CommandLine(IEnumerable<string> arguments)
    {
        List<string> given = [.. arguments];
        bool serve = given.Count > 0 && given[0] == "serve";
        return NativeClient is { } native && !serve ? [native, .. given] : ["dotnet", FullBuild, .. given];
    }

    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        IReadOnlyList<string> line = CommandLine(arguments);
        var start = new ProcessStartInfo(line[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string argument in line.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }
}
