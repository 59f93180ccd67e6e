namespace Sluice.Cli.Commands.Artifacts;

/// <summary>What <c>sluice artifacts</c> exits with.</summary>
public static class ExitCodes
{
    /// <summary>Everything asked for was done.</summary>
    public const int Ok = 0;

    /// <summary>A transfer failed: a file could not be sent or received, nothing at a path, the store refused or could not be reached.</summary>
    public const int TransferFailed = 1;

    /// <summary>Bad arguments or configuration: nothing was sent.</summary>
    public const int Usage = 2;

    /// <summary>Stopped by Ctrl+C or SIGTERM (128 + SIGINT): what was done is kept, and the same command finishes the rest.</summary>
    public const int Interrupted = 130;
}
