namespace Sluice.IntegrationTests.Cli;

/// <summary>Each command's help, as the built <c>sluice</c> prints it: only the options the command takes, and no "additional arguments".</summary>
public sealed class HelpTests
{
    [Theory]
    [InlineData(new[] { "serve" }, new[] { "--urls" }, new[] { "--run" })]
    [InlineData(new[] { "artifacts", "ls" }, new[] { "--run", "--store" }, new[] { "--part-size", "--concurrency" })]
    [InlineData(new[] { "artifacts", "logs" }, new[] { "--run", "--node", "--pod", "--container", "--tee" }, new[] { "--part-size", "--concurrency", "--stream" })]
    [InlineData(new[] { "artifacts", "log-metric" }, new[] { "--run", "--step" }, new[] { "--part-size", "--concurrency" })]
    [InlineData(new[] { "artifacts", "rm" }, new[] { "--run", "--concurrency" }, new[] { "--part-size" })]
    [InlineData(new[] { "artifacts", "pull" }, new[] { "--run", "--part-size", "--concurrency" }, new string[0])]
    [InlineData(new[] { "artifacts", "push" }, new[] { "--run", "--part-size", "--concurrency" }, new string[0])]
    [InlineData(new[] { "upload" }, new[] { "--account", "--part-size", "--concurrency" }, new[] { "--run" })]
    public async Task Help_lists_the_options_the_command_takes_and_no_others(string[] command, string[] listed, string[] absent)
    {
        var result = await SluiceProcess.RunAsync([.. command, "--help"]);
        Assert.Equal(0, result.ExitCode);
        Assert.All(listed, option => Assert.Contains($"  {option} ", result.StandardOutput, StringComparison.Ordinal));
        Assert.All(absent, option => Assert.DoesNotContain($"  {option} ", result.StandardOutput, StringComparison.Ordinal));
        Assert.DoesNotContain("Additional Arguments", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("additional arguments", result.StandardOutput, StringComparison.Ordinal);
    }
}
