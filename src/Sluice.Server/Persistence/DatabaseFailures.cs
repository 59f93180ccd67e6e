using Microsoft.Data.Sqlite;
using Npgsql;

namespace Sluice.Server.Persistence;

/// <summary>
/// Tells a database that is down, unreachable, shutting down or overloaded (worth a 503 and a
/// retry) from a fault in Sluice itself (a 500): only the first kind is the client's to wait out.
/// </summary>
public static class DatabaseFailures
{
    // SQLITE_BUSY, SQLITE_LOCKED, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN.
    private static readonly int[] SqliteUnavailable = [5, 6, 10, 13, 14];

    public static bool IsUnavailable(Exception exception) => exception switch
    {
        DatabaseUnavailableException => true,

        // Connection exceptions (08), insufficient resources (53), operator intervention such as a
        // shutdown (57), system errors (58), and serialization or deadlock failures (40).
        PostgresException postgres => postgres.SqlState.Length == 5 && postgres.SqlState[..2] is "08" or "53" or "57" or "58" or "40",

        // Everything else Npgsql raises is about reaching the server: refused, reset, timed out.
        NpgsqlException => true,
        SqliteException sqlite => SqliteUnavailable.Contains(sqlite.SqliteErrorCode & 0xFF),
        TimeoutException => true,
        _ => exception.InnerException is { } inner && IsUnavailable(inner),
    };
}
