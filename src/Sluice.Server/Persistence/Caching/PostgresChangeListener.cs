using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using Npgsql;
using Sluice.Core.Transfers;

namespace Sluice.Server.Persistence.Caching;

/// <summary>
/// Keeps <see cref="DatabaseCache"/> in step with a PostgreSQL database that other instances
/// write too. On a connection of its own it LISTENs for the announcements the tables' triggers
/// make at commit ("version table id"), reloads the whole copy on connecting, re-reads each
/// announced row, and once a second compares the database's change counter with the last version
/// it applied, so a lost announcement costs a reload, not a stale entry. When the connection
/// drops it reconnects (quickly at first, then every few seconds) and reloads; meanwhile
/// <see cref="CacheFreshness"/> lets cached entries serve for the allowed staleness. On the
/// embedded database there is nobody else to follow, and it does nothing.
/// <para>
/// After applying changes (and once a second) it confirms on <see cref="PostgresAccountStore.AppliedChannel"/>
/// the version it has reached, and it hears the other instances' confirmations, so that a write
/// is acknowledged only once every listening instance has it (<see cref="CatchUpAsync"/>).
/// </para>
/// </summary>
public sealed class PostgresChangeListener(
    SqlAccountStore database,
    DatabaseCache cache,
    TimeProvider time,
    ILogger<PostgresChangeListener> logger) : BackgroundService
{
    private static readonly TimeSpan[] Backoff = [TimeSpan.Zero, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)];

    /// <summary>How long a write waits for every instance to confirm it before it is acknowledged anyway.</summary>
    private static readonly TimeSpan CatchUpLimit = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan ShortestWait = TimeSpan.FromMilliseconds(5);

    /// <summary>How long the start waits for the listener's first connection before the instance serves anyway.</summary>
    private static readonly TimeSpan FirstConnectionLimit = TimeSpan.FromSeconds(10);

    private readonly TaskCompletionSource _firstConnected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private long _applied;
    private long _confirmedApplied = -1;
    private int _listenerId; // the backend id of the listening connection; 0 while there is none

    // The version each other instance's listening connection (by backend id) confirmed last.
    private readonly ConcurrentDictionary<int, long> _confirmedByListener = new();

    // Completed and replaced whenever a change is applied here or another instance confirms one.
    private TaskCompletionSource _progress = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// After this instance wrote: waits until this listener and every other instance's listening
    /// connection (as PostgreSQL lists them) have applied every change committed so far, the write's
    /// own included, so a revoke or a delete acknowledged to the client holds on every instance,
    /// and a client that writes through one instance and reads through another sees its write. An
    /// instance that does not confirm within <see cref="CatchUpLimit"/> (stuck, or cut off from the
    /// database) is logged and not waited for: the write stands, and that instance catches up as
    /// announced or ages out its cache. Without a connected listener (or on SQLite) there is
    /// nothing to wait for.
    /// </summary>
    /// <returns>Whether every change committed so far, the write's own included, is applied here.</returns>
    public async Task<bool> CatchUpAsync()
    {
        // Before the listener's first connection (the admin token written at start) or while it is
        // reconnecting, nobody's confirmation can be heard here.
        if (database is not PostgresAccountStore postgres || Volatile.Read(ref _listenerId) == 0 || cache.Freshness.State != CacheState.Current)
        {
            return false;
        }

        long started = time.GetTimestamp();
        long target;
        int[] listeners;
        try
        {
            (target, listeners) = await postgres.ChangeVersionAndListenersAsync(CancellationToken.None);
        }
        catch (Exception e) when (DatabaseFailures.IsUnavailable(e))
        {
            // Acknowledged without waiting: the write stands, and the others catch up as announced.
            return false;
        }

        while (true)
        {
            Task progress = Volatile.Read(ref _progress).Task;
            bool appliedHere = Volatile.Read(ref _applied) >= target;
            int behind = OthersBehind(listeners, target);
            if (appliedHere && behind == 0)
            {
                return true;
            }

            TimeSpan left = CatchUpLimit - time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                if (behind > 0)
                {
                    CacheLog.InstancesBehind(logger, behind, target, CatchUpLimit.TotalSeconds);
                }

                return appliedHere;
            }

            try
            {
                await progress.WaitAsync(left, time);
            }
            catch (TimeoutException)
            {
            }
        }
    }

    /// <summary>
    /// Starts following and, on PostgreSQL, returns once the listener is connected and in step (or
    /// after <see cref="FirstConnectionLimit"/>, while it keeps trying): the web server starts after
    /// the hosted services, so the instance takes no request before it hears the others' writes and
    /// is among the instances their writes wait for.
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await base.StartAsync(cancellationToken);
        if (database is PostgresAccountStore)
        {
            try
            {
                await _firstConnected.Task.WaitAsync(FirstConnectionLimit, time, cancellationToken);
            }
            catch (TimeoutException)
            {
                // Serves from the copy loaded at start; the listener's first connection reloads it.
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (database is not PostgresAccountStore postgres)
        {
            return;
        }

        int failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(
                    postgres,
                    () =>
                    {
                        failures = 0;
                        _firstConnected.TrySetResult();
                    },
                    stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Whatever broke (the database, the network, a row that would not read), the cure
                // is the same: reconnect and reload, while cached entries age.
                Volatile.Write(ref _listenerId, 0);
                cache.Freshness.Lose();
                if (failures == 0)
                {
                    CacheLog.ListenerLost(logger, e.GetType().Name, e.Message, cache.Freshness.MaxStaleness.TotalSeconds);
                }

                TimeSpan wait = Backoff[Math.Min(failures, Backoff.Length - 1)];
                failures++;
                try
                {
                    await Task.Delay(wait, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task ListenAsync(PostgresAccountStore postgres, Action connected, CancellationToken stoppingToken)
    {
        var announcements = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
        await using NpgsqlConnection connection = postgres.CreateListenerConnection();
        connection.Notification += (_, e) =>
        {
            if (e.Channel == PostgresAccountStore.AppliedChannel)
            {
                HeardConfirmation(e.Payload);
            }
            else
            {
                announcements.Writer.TryWrite(e.Payload);
            }
        };
        await connection.OpenAsync(stoppingToken);
        Volatile.Write(ref _listenerId, connection.ProcessID);
        await RunAsync(connection, $"LISTEN {PostgresAccountStore.ChangeChannel}; LISTEN {PostgresAccountStore.AppliedChannel}", stoppingToken);
        await ReloadAsync(connection, stoppingToken);
        await ConfirmAppliedAsync(connection, always: true, stoppingToken);
        connected();
        CacheLog.ListenerConnected(logger, cache.TokenCount, cache.AccountCount);

        long behindAt = -1;
        long lastCheck = time.GetTimestamp();
        while (true)
        {
            while (announcements.Reader.TryRead(out string? payload))
            {
                await ApplyAsync(connection, payload, stoppingToken);
            }

            bool checking = time.GetElapsedTime(lastCheck) >= CacheFreshness.ConfirmInterval;
            if (checking)
            {
                // Announcements read while the query ran are applied first; only a counter that
                // stays ahead across two checks means one was lost.
                long version = await VersionAsync(connection, stoppingToken);
                lastCheck = time.GetTimestamp();
                while (announcements.Reader.TryRead(out string? payload))
                {
                    await ApplyAsync(connection, payload, stoppingToken);
                }

                if (version > _applied && behindAt >= 0 && _applied < behindAt)
                {
                    CacheLog.AnnouncementMissed(logger, _applied, version);
                    await ReloadAsync(connection, stoppingToken);
                    behindAt = -1;
                }
                else
                {
                    behindAt = version > _applied ? version : -1;
                }

                cache.Freshness.Confirm();
            }

            // Once a second even when nothing changed: a writer whose listener missed a
            // confirmation (it was reconnecting) learns where this instance stands.
            await ConfirmAppliedAsync(connection, always: checking, stoppingToken);

            // Npgsql takes a timeout that rounds to 0 ms as none at all (it would wait for the next
            // announcement however long that takes): never ask for less than a few milliseconds.
            TimeSpan untilCheck = CacheFreshness.ConfirmInterval - time.GetElapsedTime(lastCheck);
            if (await connection.WaitAsync(untilCheck > ShortestWait ? untilCheck : ShortestWait, stoppingToken))
            {
                cache.Freshness.Confirm();
            }
        }
    }

    private async Task ApplyAsync(NpgsqlConnection connection, string payload, CancellationToken stoppingToken)
    {
        string[] parts = payload.Split(' ', 3);
        if (parts.Length != 3 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out long version))
        {
            return; // not ours
        }

        if (version <= _applied)
        {
            return; // already in the copy (loaded after it was committed)
        }

        if (version > _applied + 1)
        {
            CacheLog.AnnouncementMissed(logger, _applied, version);
            await ReloadAsync(connection, stoppingToken);
            return;
        }

        switch (parts[1])
        {
            case "aws_account":
                await cache.RefreshAccountAsync(parts[2], stoppingToken);
                break;
            case "access_token":
                await cache.RefreshTokenAsync(parts[2], stoppingToken);
                break;
            case "cloud_resource":
                await cache.RefreshResourceAsync(parts[2], stoppingToken);
                break;
        }

        Advance(version);
    }

    /// <summary>The counter first, then the rows: every change up to that version is in what is read.</summary>
    private async Task ReloadAsync(NpgsqlConnection connection, CancellationToken stoppingToken)
    {
        long version = await VersionAsync(connection, stoppingToken);
        await cache.ReloadAsync(stoppingToken);
        Advance(version);
        cache.Freshness.Confirm();
    }

    private void Advance(long version)
    {
        Volatile.Write(ref _applied, version);
        SignalProgress();
    }

    private void SignalProgress() =>
        Interlocked.Exchange(ref _progress, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Tells every instance the version applied here, when it moved (or <paramref name="always"/>).</summary>
    private async Task ConfirmAppliedAsync(NpgsqlConnection connection, bool always, CancellationToken stoppingToken)
    {
        long applied = Volatile.Read(ref _applied);
        if (!always && applied == _confirmedApplied)
        {
            return;
        }

        await using var command = new NpgsqlCommand("SELECT pg_notify($1, $2)", connection)
        {
            CommandTimeout = 5,
            Parameters =
            {
                new NpgsqlParameter { Value = PostgresAccountStore.AppliedChannel },
                new NpgsqlParameter { Value = string.Create(CultureInfo.InvariantCulture, $"{connection.ProcessID} {applied}") },
            },
        };
        await command.ExecuteNonQueryAsync(stoppingToken);
        _confirmedApplied = applied;
    }

    /// <summary>Another instance's "backend-id version" (this one's own come back too, and are skipped).</summary>
    private void HeardConfirmation(string payload)
    {
        string[] parts = payload.Split(' ');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int listener)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long version)
            || listener == Volatile.Read(ref _listenerId))
        {
            return;
        }

        _confirmedByListener.AddOrUpdate(listener, version, (_, known) => Math.Max(known, version));
        SignalProgress();
    }

    /// <summary>How many of the other listening connections have not confirmed <paramref name="target"/> yet.</summary>
    private int OthersBehind(int[] listeners, long target)
    {
        int self = Volatile.Read(ref _listenerId);
        int behind = 0;
        foreach (int listener in listeners)
        {
            if (listener != self && !(_confirmedByListener.TryGetValue(listener, out long confirmed) && confirmed >= target))
            {
                behind++;
            }
        }

        return behind;
    }

    private static async Task<long> VersionAsync(NpgsqlConnection connection, CancellationToken stoppingToken)
    {
        await using var command = new NpgsqlCommand(PostgresAccountStore.ChangeVersionSql, connection) { CommandTimeout = 5 };
        return (long)(await command.ExecuteScalarAsync(stoppingToken))!;
    }

    private static async Task RunAsync(NpgsqlConnection connection, string sql, CancellationToken stoppingToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 5 };
        await command.ExecuteNonQueryAsync(stoppingToken);
    }
}
