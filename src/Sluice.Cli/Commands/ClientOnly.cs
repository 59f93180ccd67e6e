using System.CommandLine;

namespace Sluice.Cli.Commands;

/// <summary>What the native client build says where the full build would run the server.</summary>
public static class ClientOnly
{
    public const string ServeMissing =
        "this is the native client build of sluice, which has no server; run the server from the full build (the container image, or dotnet publish src/Sluice.Cli)";

    /// <summary>A hidden <c>serve</c> that says which build has it, instead of "unrecognized command".</summary>
    public static Command ServeCommand()
    {
        var command = new Command("serve") { Hidden = true, TreatUnmatchedTokensAsErrors = false };
        command.SetAction(async (_, _) =>
        {
            await Console.Error.WriteLineAsync($"sluice serve: {ServeMissing}");
            return 2;
        });
        return command;
    }
}
