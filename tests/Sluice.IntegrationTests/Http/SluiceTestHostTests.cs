using System.Net;
using static Sluice.IntegrationTests.Http.HttpTestSupport;

namespace Sluice.IntegrationTests.Http;

/// <summary>The harness itself: a real listener on 127.0.0.1, full log capture, restart on the same directory, clean-up.</summary>
public sealed class SluiceTestHostTests
{
    [Fact]
    public async Task Host_ListensOnLoopback_CapturesAllLogs_AndDeletesItsDirectory()
    {
        string directory;
        await using (SluiceTestHost host = await SluiceTestHost.StartAsync())
        {
            directory = host.DataDirectory;
            Assert.Equal("127.0.0.1", host.BaseAddress.Host);
            Assert.NotEqual(0, host.BaseAddress.Port);
            Assert.Equal(host.BaseAddress, host.Client.BaseAddress);
            Assert.True(File.Exists(host.DatabasePath));
            Assert.StartsWith(Path.GetTempPath(), directory, StringComparison.Ordinal);

            await AssertStillServingAsync(host.Client);

            // The server raises Microsoft.AspNetCore to Warning; the harness captures it all the same.
            Assert.Contains(host.LogEntries, e => e.StartsWith("Information Microsoft.AspNetCore.Hosting.Diagnostics", StringComparison.Ordinal) && e.Contains("Request starting HTTP/1.1 GET", StringComparison.Ordinal));
            Assert.Contains(host.LogEntries, e => e.StartsWith("Debug Microsoft.AspNetCore.Routing", StringComparison.Ordinal));
            Assert.Contains(host.LogEntries, e => e.StartsWith("Debug Microsoft.AspNetCore.Server.Kestrel", StringComparison.Ordinal));
        }

        Assert.False(Directory.Exists(directory), $"{directory} was left behind");
    }

    [Fact]
    public async Task Restart_KeepsTheDirectory_AndGivesAWorkingClient()
    {
        await using SluiceTestHost host = await SluiceTestHost.StartAsync();
        string id = NewId("harness");
        await PutAccountAsync(host.Client, id, "region: us-east-1\n");
        string directory = host.DataDirectory;

        await host.StopAsync();
        Assert.False(host.IsRunning);
        Assert.Throws<InvalidOperationException>(() => host.Client);
        Assert.True(Directory.Exists(directory));

        await host.RestartAsync();
        Assert.True(host.IsRunning);
        Assert.Equal(directory, host.DataDirectory);
        using HttpResponseMessage read = await host.Client.GetAsync($"/AwsAccount/{id}");
        await ReadJsonAsync(read, HttpStatusCode.OK);
    }
}
