using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Sluice.Server.Persistence;
using Sluice.Server.Persistence.Caching;

namespace Sluice.IntegrationTests.Persistence;

/// <summary>How far the cache may be trusted as time passes without the database, and which failures are the database's.</summary>
public sealed class CacheFreshnessTests
{
    [Fact]
    public void A_shared_cache_is_current_while_confirmed_then_stale_for_the_allowed_time_then_expired()
    {
        var time = new FakeTimeProvider();
        var freshness = CacheFreshness.Shared(time, TimeSpan.FromSeconds(60));
        Assert.Equal(CacheState.Current, freshness.State);

        // Confirmations a second apart keep it current however long it runs.
        for (int i = 0; i < 100; i++)
        {
            time.Advance(CacheFreshness.ConfirmInterval);
            freshness.Confirm();
        }

        Assert.Equal(CacheState.Current, freshness.State);

        // The listener lost the database: hits serve until 60 s after the last confirmation.
        freshness.Lose();
        Assert.Equal(CacheState.Stale, freshness.State);
        time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(CacheState.Stale, freshness.State);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(CacheState.Expired, freshness.State);
        Assert.Equal(TimeSpan.FromSeconds(60.001), freshness.SinceConfirmed);

        // Back: current at once.
        freshness.Confirm();
        Assert.Equal(CacheState.Current, freshness.State);
    }

    [Fact]
    public void A_listener_that_stops_confirming_without_losing_the_connection_is_not_trusted_as_current()
    {
        var time = new FakeTimeProvider();
        var freshness = CacheFreshness.Shared(time, TimeSpan.FromSeconds(300));
        time.Advance(CacheFreshness.ConfirmInterval * 5);
        Assert.Equal(CacheState.Current, freshness.State);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(CacheState.Stale, freshness.State);
    }

    [Fact]
    public void With_no_staleness_allowed_a_lost_database_expires_the_cache_at_once()
    {
        var time = new FakeTimeProvider();
        var freshness = CacheFreshness.Shared(time, TimeSpan.Zero);
        time.Advance(TimeSpan.FromMilliseconds(1));
        freshness.Lose();
        Assert.Equal(CacheState.Expired, freshness.State);
    }

    [Fact]
    public void The_sole_writers_cache_is_always_current()
    {
        var time = new FakeTimeProvider();
        var freshness = CacheFreshness.SoleWriter(time);
        freshness.Lose();
        time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(CacheState.Current, freshness.State);
        Assert.False(freshness.FollowsOtherWriters);
    }

    [Fact]
    public void Failures_of_reaching_the_database_are_503s_and_faults_of_sluice_are_not()
    {
        Assert.True(DatabaseFailures.IsUnavailable(new NpgsqlException("Failed to connect to 127.0.0.1:5432")));
        Assert.True(DatabaseFailures.IsUnavailable(new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", "57P01")));
        Assert.True(DatabaseFailures.IsUnavailable(new PostgresException("too many connections", "FATAL", "FATAL", "53300")));
        Assert.True(DatabaseFailures.IsUnavailable(new SqliteException("database is locked", 5)));
        Assert.True(DatabaseFailures.IsUnavailable(new InvalidOperationException("wrapped", new TimeoutException())));
        Assert.True(DatabaseFailures.IsUnavailable(new DatabaseUnavailableException("cut off")));

        Assert.False(DatabaseFailures.IsUnavailable(new PostgresException("syntax error", "ERROR", "ERROR", "42601")));
        Assert.False(DatabaseFailures.IsUnavailable(new PostgresException("duplicate key", "ERROR", "ERROR", "23505")));
        Assert.False(DatabaseFailures.IsUnavailable(new SqliteException("constraint failed", 19)));
        Assert.False(DatabaseFailures.IsUnavailable(new InvalidOperationException("a bug")));
    }
}
