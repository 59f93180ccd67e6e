namespace Sluice.Server.Audit;

/// <summary>
/// The records on their way to the database, encoded (<see cref="AuditRecordCodec"/>) into large
/// blocks that the writer takes whole. A request takes a place before it is served
/// (<see cref="TryReserve"/>) and gives it back when it records or has nothing to record, so
/// the queue never holds more than <see cref="Capacity"/> and a request that was served always
/// has room for its record: when the places are gone, the middleware refuses new requests (or,
/// if so configured, serves them and counts their records as dropped).
/// </summary>
public sealed class AuditQueue
{
    private const int BlockBytes = 1 << 20;
    private const int SpareBlocks = 8;

    private readonly Lock _gate = new();
    private readonly List<AuditBlock> _full = [];
    private readonly Stack<byte[]> _spare = new();
    private byte[] _block = new byte[BlockBytes];
    private int _used;
    private int _records;
    private bool _completed;
    private long _reserved;
    private long _dropped;
    private long _written;
    private long _refused;

    public AuditQueue(int capacity) => Capacity = capacity;

    public int Capacity { get; }

    /// <summary>Places taken: records waiting, being written, or still to come from requests being served.</summary>
    public long Reserved => Interlocked.Read(ref _reserved);

    public long Dropped => Interlocked.Read(ref _dropped);

    public long Written => Interlocked.Read(ref _written);

    /// <summary>Requests refused because the queue was full.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    public bool TryReserve()
    {
        if (Interlocked.Increment(ref _reserved) <= Capacity)
        {
            return true;
        }

        Interlocked.Decrement(ref _reserved);
        return false;
    }

    /// <summary>Queues one encoded record into a place reserved for it; false once the queue is completed (the process is stopping).</summary>
    public bool Enqueue(ReadOnlySpan<byte> record)
    {
        lock (_gate)
        {
            if (_completed)
            {
                return false;
            }

            if (_used + record.Length > _block.Length)
            {
                _full.Add(new AuditBlock(_block, _used, _records));
                _block = _spare.TryPop(out byte[]? spare) && spare.Length >= record.Length ? spare : new byte[Math.Max(BlockBytes, record.Length)];
                _used = 0;
                _records = 0;
            }

            record.CopyTo(_block.AsSpan(_used));
            _used += record.Length;
            _records++;
            return true;
        }
    }

    /// <summary>Every record queued so far, in the order queued; hand the blocks back with <see cref="Recycle"/>.</summary>
    public List<AuditBlock> TakeAll()
    {
        lock (_gate)
        {
            var taken = new List<AuditBlock>(_full);
            _full.Clear();
            if (_records > 0)
            {
                taken.Add(new AuditBlock(_block, _used, _records));
                _block = _spare.TryPop(out byte[]? spare) ? spare : new byte[BlockBytes];
                _used = 0;
                _records = 0;
            }

            return taken;
        }
    }

    /// <summary>Blocks whose records are written, for reuse.</summary>
    public void Recycle(IEnumerable<AuditBlock> blocks)
    {
        lock (_gate)
        {
            foreach (AuditBlock block in blocks)
            {
                if (_spare.Count < SpareBlocks && block.Bytes.Length == BlockBytes)
                {
                    _spare.Push(block.Bytes);
                }
            }
        }
    }

    /// <summary>A reserved place that is not needed after all.</summary>
    public void Release() => Interlocked.Decrement(ref _reserved);

    /// <summary>Records written to the database: their places are free again.</summary>
    public void MarkWritten(int records)
    {
        Interlocked.Add(ref _written, records);
        Interlocked.Add(ref _reserved, -records);
    }

    public void CountDropped() => Interlocked.Increment(ref _dropped);

    public void CountRefused() => Interlocked.Increment(ref _refused);

    /// <summary>No more records: what is queued is taken by the writer's last pass.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _completed = true;
        }
    }

    public bool IsCompleted
    {
        get
        {
            lock (_gate)
            {
                return _completed;
            }
        }
    }
}

/// <summary>Encoded records: the first <see cref="Used"/> bytes of <see cref="Bytes"/> hold <see cref="Records"/> of them.</summary>
public readonly record struct AuditBlock(byte[] Bytes, int Used, int Records);
