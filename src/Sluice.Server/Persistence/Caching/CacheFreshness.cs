namespace Sluice.Server.Persistence.Caching;

/// <summary>How far this instance's cache can be trusted at a moment.</summary>
public enum CacheState
{
    /// <summary>In step with the database: a hit is current, a miss means "no such row" (give or take a change committed this instant).</summary>
    Current,

    /// <summary>Cut off from the database for less than the allowed staleness: hits are served, misses cannot be answered.</summary>
    Stale,

    /// <summary>Cut off for longer than the allowed staleness: nothing is answered from the cache.</summary>
    Expired,
}

/// <summary>
/// Whether the cache of tokens and accounts may answer. On the embedded database this process is
/// the only writer, so the cache is always current. On PostgreSQL it is current while the change
/// listener hears from the database (it confirms at least every <see cref="ConfirmInterval"/>);
/// after that its entries serve for <c>maxStaleness</c> from the last confirmation, so a revoke
/// made through another instance during a cut-off takes effect here at most that late.
/// </summary>
public sealed class CacheFreshness
{
    /// <summary>How often a listening instance checks in with the database when nothing changes.</summary>
    public static readonly TimeSpan ConfirmInterval = TimeSpan.FromSeconds(1);

    // Missing this many confirmations in a row means the listener is stuck (a query hanging on a dead peer).
    private static readonly TimeSpan CurrentFor = ConfirmInterval * 5;

    private readonly TimeProvider _time;
    private readonly bool _followsOtherWriters;
    private long _confirmedAt;
    private volatile bool _connected;

    private CacheFreshness(TimeProvider time, TimeSpan maxStaleness, bool followsOtherWriters)
    {
        _time = time;
        MaxStaleness = maxStaleness;
        _followsOtherWriters = followsOtherWriters;
        _confirmedAt = time.GetTimestamp();
        _connected = true;
    }

    public TimeSpan MaxStaleness { get; }

    /// <summary>True on a shared database, where cached entries may outlive a lost connection.</summary>
    public bool FollowsOtherWriters => _followsOtherWriters;

    /// <summary>The embedded database: no other writer, always current.</summary>
    public static CacheFreshness SoleWriter(TimeProvider time) => new(time, TimeSpan.Zero, followsOtherWriters: false);

    /// <summary>A shared database: current only while the change listener confirms it.</summary>
    public static CacheFreshness Shared(TimeProvider time, TimeSpan maxStaleness) => new(time, maxStaleness, followsOtherWriters: true);

    public CacheState State
    {
        get
        {
            if (!_followsOtherWriters)
            {
                return CacheState.Current;
            }

            TimeSpan since = _time.GetElapsedTime(Interlocked.Read(ref _confirmedAt));
            return _connected && since <= CurrentFor ? CacheState.Current
                : since <= MaxStaleness ? CacheState.Stale
                : CacheState.Expired;
        }
    }

    /// <summary>How long ago the cache was last known to be in step with the database.</summary>
    public TimeSpan SinceConfirmed => _followsOtherWriters ? _time.GetElapsedTime(Interlocked.Read(ref _confirmedAt)) : TimeSpan.Zero;

    /// <summary>The listener is connected and everything up to now is applied.</summary>
    public void Confirm()
    {
        Interlocked.Exchange(ref _confirmedAt, _time.GetTimestamp());
        _connected = true;
    }

    /// <summary>The listener lost the database; entries age from the last confirmation.</summary>
    public void Lose() => _connected = false;
}
