namespace Sluice.Core.Artifacts.Transfers;

/// <summary>The server holds other bytes than were sent or read (its ETag and ours differ).</summary>
internal sealed class TransferIntegrityException(string message) : Exception(message);
