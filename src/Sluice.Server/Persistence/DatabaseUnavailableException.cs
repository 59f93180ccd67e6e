namespace Sluice.Server.Persistence;

/// <summary>The database is needed to answer and cannot be reached: the client should retry later (503).</summary>
public sealed class DatabaseUnavailableException(string message) : Exception(message);
