namespace Sluice.Core.Artifacts.Transfers;

/// <summary>What one pass of a directory sync did: the files pushed (or found unchanged) and the ones deleted.</summary>
public sealed record SyncCycle(TransferSummary Pushed, IReadOnlyList<string> Deleted, string? DeleteError)
{
    public bool Succeeded => Pushed.Succeeded && DeleteError is null;

    public bool DidAnything => Pushed.Files.Count > 0 || Deleted.Count > 0;
}
