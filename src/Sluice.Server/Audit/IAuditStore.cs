namespace Sluice.Server.Audit;

/// <summary>Where audit records are kept: the same database as accounts and tokens (SQLite or PostgreSQL).</summary>
public interface IAuditStore
{
    /// <summary>Appends the records in one transaction: all of them are in, or none.</summary>
    Task AppendAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> records matching <paramref name="filter"/>, after the record <paramref name="after"/> (0: from the first), in the order written.</summary>
    Task<IReadOnlyList<AuditRecord>> QueryAsync(AuditFilter filter, long after, int limit, CancellationToken cancellationToken);

    /// <summary>Deletes the records older than <paramref name="cutoff"/>; how many there were.</summary>
    Task<int> DeleteBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);
}
