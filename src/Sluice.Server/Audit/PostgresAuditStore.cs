using Npgsql;
using NpgsqlTypes;
using Sluice.Server.Persistence;

namespace Sluice.Server.Audit;

/// <summary>
/// Appends to PostgreSQL with a binary COPY: one round trip a batch, no statement to parse, no
/// parameters, over a connection of its own (<c>sluice audit writer</c>) that is not reset between
/// batches: one transaction a flush.
/// </summary>
public sealed class PostgresAuditStore(PostgresAccountStore database) : SqlAuditStore(database), IDisposable
{
    public const string ApplicationName = "sluice audit writer";
    private static readonly string CopySql = $"COPY audit_event ({ColumnList}) FROM STDIN (FORMAT BINARY)";
    private readonly NpgsqlDataSource _writer = database.CreateWriterDataSource(ApplicationName);

    public void Dispose() => _writer.Dispose();

    public override async Task AppendAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return;
        }

        await using NpgsqlConnection connection = await _writer.OpenConnectionAsync(cancellationToken);
        await using var importer = await connection.BeginBinaryImportAsync(CopySql, cancellationToken);

        // Written synchronously into the importer's buffer (it sends as it fills): a background
        // thread, and tens of thousands of values a second, each cheaper than an await.
        foreach (AuditRecord record in records)
        {
            importer.StartRow();
            object?[] values = Values(record);
            for (int column = 0; column < values.Length; column++)
            {
                switch (values[column])
                {
                    case null:
                        importer.WriteNull();
                        break;
                    case long number:
                        importer.Write(number, NpgsqlDbType.Bigint);
                        break;
                    case int number:
                        importer.Write(number, NpgsqlDbType.Integer);
                        break;
                    default:
                        importer.Write((string)values[column]!, NpgsqlDbType.Text);
                        break;
                }
            }
        }

        // COPY is one statement: all rows are in, or (an error, a broken connection) none.
        await importer.CompleteAsync(cancellationToken);
    }
}
