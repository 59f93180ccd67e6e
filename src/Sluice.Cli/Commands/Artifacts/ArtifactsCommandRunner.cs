using Sluice.Core.Artifacts.Runs;
using Sluice.Core.Providers;
using Sluice.Core.Artifacts.Stores;
using Sluice.Core.Artifacts.Stores.Connections;

namespace Sluice.Cli.Commands.Artifacts;

/// <summary>Runs one artifacts command and turns what it throws into a message and an exit code.</summary>
public static class ArtifactsCommandRunner
{
    public static async Task<int> RunAsync(string command, CancellationToken cancellationToken, Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            ArtifactsOptions.Report(command, ["interrupted: what was done is kept; run the same command again to finish"]);
            return ExitCodes.Interrupted;
        }
        catch (Exception e) when (e is ArtifactPathException or StoreConnectionException)
        {
            ArtifactsOptions.Report(command, [e.Message]);
            return ExitCodes.Usage;
        }
        catch (ArtifactNotFoundException e)
        {
            ArtifactsOptions.Report(command, [e.Message]);
            return ExitCodes.TransferFailed;
        }
        catch (Exception e) when (e is ObjectStoreException or HttpRequestException or IOException or UnauthorizedAccessException)
        {
            ArtifactsOptions.Report(command, [StoreFailures.Describe(e)]);
            return ExitCodes.TransferFailed;
        }
    }
}
