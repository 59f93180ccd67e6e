using Microsoft.Extensions.Options;
using Sluice.Server.Hosting;

namespace Sluice.Server.Audit;

/// <summary>
/// Moves records from the <see cref="AuditQueue"/> to the database, off the request path: what
/// gathered over a flush interval (<c>Sluice:AuditFlushMilliseconds</c>), <see cref="MaxBatch"/> to a transaction, so the
/// cost per record falls as the load rises. A batch the database refuses is kept and tried again with backoff
/// (requests go on meanwhile, until the queue is full). On a graceful stop every queued record is
/// written before the process ends; a kill loses what was not yet written: the records of the
/// last flush interval and those being written. Records older than the retention are
/// deleted once an hour.
/// </summary>
public sealed class AuditWriter(AuditQueue queue, IAuditStore store, IOptions<SluiceOptions> options, TimeProvider time, ILogger<AuditWriter> logger) : BackgroundService
{
    public const int MaxBatch = 10_000;

    /// <summary>How long records gather before they are written (<c>Sluice:AuditFlushMilliseconds</c>); with <see cref="MaxBatch"/>, what a kill can lose.</summary>
    private readonly TimeSpan _flushInterval = TimeSpan.FromMilliseconds(options.Value.AuditFlushMilliseconds);
    private static readonly TimeSpan PruneEvery = TimeSpan.FromHours(1);
    private static readonly TimeSpan[] Backoff = [TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)];

    private DateTimeOffset _nextPrune = DateTimeOffset.MinValue;
    private volatile bool _stopping;

    /// <summary>The last write failed and its batch waits to be tried again.</summary>
    public bool Failing { get; private set; }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        // The web server has stopped and drained its requests (it stops first): nothing more comes.
        _stopping = true;
        queue.Complete();
        return base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<AuditRecord>(MaxBatch);
        while (true)
        {
            // Let records gather: a busy server then writes a few large transactions a second, not one per
            // request. Real time, whatever clock the records are stamped with; a stop cuts the wait short.
            if (!queue.IsCompleted)
            {
                try
                {
                    await Task.Delay(_flushInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                }
            }

            bool last = queue.IsCompleted; // then nothing can be queued after the take below
            List<AuditBlock> blocks = queue.TakeAll();
            int pending = blocks.Sum(b => b.Records);
            foreach (AuditBlock block in blocks)
            {
                int offset = 0;
                for (int i = 0; i < block.Records; i++)
                {
                    batch.Add(AuditRecordCodec.Decode(block.Bytes.AsSpan(offset, block.Used - offset), out int length));
                    offset += length;
                    if (batch.Count == MaxBatch)
                    {
                        if (!await FlushAsync(batch, pending))
                        {
                            return;
                        }

                        pending -= MaxBatch;
                    }
                }
            }

            if (batch.Count > 0 && !await FlushAsync(batch, pending))
            {
                return;
            }

            queue.Recycle(blocks);
            if (last)
            {
                return;
            }

            await PruneIfDueAsync();
        }
    }

    /// <summary>Writes the batch and frees its places; false when stopping and the database would not take it (what is lost is logged).</summary>
    private async Task<bool> FlushAsync(List<AuditRecord> batch, int pending)
    {
        if (!await WriteAsync(batch))
        {
            AuditLog.Lost(logger, pending);
            return false;
        }

        queue.MarkWritten(batch.Count);
        batch.Clear();
        return true;
    }

    /// <summary>Writes the batch, trying again until it is in; false only when stopping and the database still refuses.</summary>
    private async Task<bool> WriteAsync(List<AuditRecord> batch)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await store.AppendAsync(batch, CancellationToken.None);
                Failing = false;
                return true;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Failing = true;
                AuditLog.WriteFailed(logger, batch.Count, attempt, e.Message.ReplaceLineEndings(" "));
                if (_stopping && attempt >= Backoff.Length)
                {
                    return false;
                }

                await Task.Delay(Backoff[Math.Min(attempt, Backoff.Length) - 1]);
            }
        }
    }

    private async Task PruneIfDueAsync()
    {
        DateTimeOffset now = time.GetUtcNow();
        if (options.Value.AuditRetentionDays <= 0 || now < _nextPrune)
        {
            return;
        }

        _nextPrune = now + PruneEvery;
        DateTimeOffset cutoff = now.AddDays(-options.Value.AuditRetentionDays);
        try
        {
            int deleted = await store.DeleteBeforeAsync(cutoff, CancellationToken.None);
            if (deleted > 0)
            {
                AuditLog.Pruned(logger, deleted, cutoff);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            AuditLog.WriteFailed(logger, 0, 1, "pruning: " + e.Message.ReplaceLineEndings(" "));
        }
    }
}
