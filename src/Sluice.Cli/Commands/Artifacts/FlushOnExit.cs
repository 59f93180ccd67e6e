namespace Sluice.Cli.Commands.Artifacts;

/// <summary>
/// Holds the process open while a stopped command flushes. On SIGTERM or Ctrl+C the command line
/// library lets an action run 2 s at most before it returns; until this is disposed, the process
/// exit waits (at most 5 minutes) so the last sync or log chunk is stored before the process ends.
/// </summary>
public sealed class FlushOnExit : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);
    private readonly ManualResetEventSlim _flushed = new();

    public FlushOnExit() => AppDomain.CurrentDomain.ProcessExit += WaitForFlush;

    public void Dispose()
    {
        _flushed.Set();
        AppDomain.CurrentDomain.ProcessExit -= WaitForFlush;
    }

    private void WaitForFlush(object? sender, EventArgs e) => _flushed.Wait(Limit);
}
