namespace Sluice.IntegrationTests.Cli;

/// <summary><c>sluice serve</c> refusing to start on a wrong artifact stores file, as an operator sees it.</summary>
public sealed class ServeCommandTests
{
    [Fact]
    public async Task A_wrong_stores_file_stops_the_start_with_file_line_messages_and_exit_code_2()
    {
        string directory = Directory.CreateTempSubdirectory("sluice-serve-").FullName;
        try
        {
            string config = Path.Combine(directory, "stores.yaml");
            await File.WriteAllTextAsync(config, "connections:\n  - name: a\n    kind: gcs\n    schema:\n      bucket: \"s3://bucket/\"\n");
            var result = await SluiceProcess.RunAsync(
                ["serve", "--urls", "http://127.0.0.1:0"],
                environment: new Dictionary<string, string>
                {
                    ["SLUICE_CONFIG"] = config,
                    ["SLUICE_DATA_DIR"] = Path.Combine(directory, "data"),
                    ["SLUICE_ADMIN_TOKEN"] = "sluice_test_" + Guid.NewGuid().ToString("N"),
                });
            Assert.Equal(2, result.ExitCode);
            Assert.Contains($"sluice serve: {config} line 3", result.StandardError);
            Assert.Contains("s3", result.StandardError);
            Assert.DoesNotContain("   at ", result.StandardError); // a message, not a stack trace
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
