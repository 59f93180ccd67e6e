namespace Sluice.Core.Transfers;

/// <summary>The server holds other bytes than were sent or read (its ETag and ours differ).</summary>
public sealed class TransferIntegrityException(string message) : Exception(message);
