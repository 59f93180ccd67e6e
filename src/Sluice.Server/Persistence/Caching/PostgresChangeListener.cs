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
/// </summary>
public sealed class PostgresChangeListener(
    SqlAccountStore database,
    DatabaseCache cache,
    TimeProvider time,
    ILogger<PostgresChangeListener> logger) : BackgroundService
{
    private static readonly TimeSpan[] Backoff = [TimeSpan.Zero, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)];

    /// <summary>How long a write waits for its own announcement before it is acknowledged anyway.</summary>
    private static readonly TimeSpan CatchUpLimit = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan ShortestWait = TimeSpan.FromMilliseconds(5);

    private long _applied;
    private TaskCompletionSource _advanced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// After this instance wrote: waits (up to a second) until the listener has applied every change
    /// committed so far, the write's own included. Every instance hears an announcement at the same
    /// moment, so a write acknowledged after its announcement was applied here has, in practice,
    /// reached the others too: a client that writes through one instance and reads through another
    /// sees its write. Without a connected listener (or on SQLite) there is nothing to wait for.
    /// </summary>
    /// <returns>Whether every change committed so far, the write's own included, is applied here.</returns>
    public async Task<bool> CatchUpAsync()
    {
        if (database is not PostgresAccountStore postgres || cache.Freshness.State != CacheState.Current)
        {
            return false;
        }

        long started = time.GetTimestamp();
        try
        {
            long target = await postgres.ChangeVersionAsync(CancellationToken.None);
            while (Volatile.Read(ref _applied) < target)
            {
                Task advanced = Volatile.Read(ref _advanced).Task;
                TimeSpan left = CatchUpLimit - time.GetElapsedTime(started);
                if (Volatile.Read(ref _applied) >= target || left <= TimeSpan.Zero)
                {
                    break;
                }

                await advanced.WaitAsync(left, time);
            }

            return Volatile.Read(ref _applied) >= target;
        }
        catch (Exception e) when (e is TimeoutException || DatabaseFailures.IsUnavailable(e))
        {
            // Acknowledged without waiting: the write stands, and the others catch up as announced.
            return false;
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
                await ListenAsync(postgres, () => failures = 0, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Whatever broke (the database, the network, a row that would not read), the cure
                // is the same: reconnect and reload, while cached entries age.
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
        connection.Notification += (_, e) => announcements.Writer.TryWrite(e.Payload);
        await connection.OpenAsync(stoppingToken);
        await RunAsync(connection, $"LISTEN {PostgresAccountStore.ChangeChannel}", stoppingToken);
        await ReloadAsync(connection, stoppingToken);
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

            if (time.GetElapsedTime(lastCheck) >= CacheFreshness.ConfirmInterval)
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
        Interlocked.Exchange(ref _advanced, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
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
