using System.Data.Common;
using Sluice.Server.Persistence;

namespace Sluice.Server.Audit;

/// <summary>Appends to SQLite with one prepared INSERT run once a record, in one transaction (in-process, a few microseconds a row).</summary>
public sealed class SqliteAuditStore(SqlAccountStore database) : SqlAuditStore(database)
{
    private static readonly string InsertSql =
        $"INSERT INTO audit_event ({ColumnList}) VALUES ({string.Join(", ", ColumnNames.Select((_, i) => $"@p{i}"))})";

    public override async Task AppendAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0 || Environment.GetEnvironmentVariable("SLUICE_EXP_NOWRITE") == "1")
        {
            return;
        }

        await using DbConnection connection = await Database.OpenConnectionAsync(cancellationToken);
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using DbCommand insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = InsertSql;
        for (int column = 0; column < ColumnNames.Count; column++)
        {
            SqlAccountStore.AddParameter(insert, $"@p{column}", null, ColumnTypes[column]);
        }

        await insert.PrepareAsync(cancellationToken);
        foreach (AuditRecord record in records)
        {
            object?[] values = Values(record);
            for (int column = 0; column < values.Length; column++)
            {
                insert.Parameters[column].Value = values[column] ?? DBNull.Value;
            }

            insert.ExecuteNonQuery(); // in-process: the async form only adds its state machine
        }

        await transaction.CommitAsync(cancellationToken);
    }
}
