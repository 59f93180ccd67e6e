using Microsoft.Extensions.Time.Testing;
using Sluice.Core.Credentials;

namespace Sluice.Tests.Credentials;

public sealed class CachedCredentialProviderTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly CredentialRefreshOptions Options = new()
    {
        RefreshBeforeExpiry = TimeSpan.FromMinutes(5),
        RetryDelay = TimeSpan.Zero,
        FailureHoldOff = TimeSpan.FromSeconds(1),
    };

    [Fact]
    public async Task Two_hundred_concurrent_first_requests_cause_one_call_to_the_source()
    {
        var time = new FakeTimeProvider(Start);
        var release = new TaskCompletionSource();
        var source = new CountingSource(async n =>
        {
            await release.Task;
            return CountingSource.Keys("1", Start.AddMinutes(15));
        });
        var provider = new CachedCredentialProvider(source, time, Options);

        var requests = Enumerable.Range(0, 200).Select(_ => Task.Run(() => provider.GetAsync(CancellationToken.None))).ToList();
        await Task.Delay(100);
        release.SetResult();
        var results = await Task.WhenAll(requests);

        Assert.Equal(1, source.Calls);
        Assert.All(results, r => Assert.Equal("AKID1", r.Credentials.AccessKeyId));
    }

    [Fact]
    public async Task Refreshes_ahead_of_expiry_once_while_requests_keep_the_valid_credentials()
    {
        var time = new FakeTimeProvider(Start);
        var release = new TaskCompletionSource();
        var source = new CountingSource(async n =>
        {
            if (n == 1)
            {
                return CountingSource.Keys("1", Start.AddMinutes(15));
            }

            await release.Task;
            return CountingSource.Keys("2", time.GetUtcNow().AddMinutes(15));
        });
        var provider = new CachedCredentialProvider(source, time, Options);
        await provider.GetAsync(CancellationToken.None);

        time.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal("AKID1", (await provider.GetAsync(CancellationToken.None)).Credentials.AccessKeyId);
        Assert.Equal(1, source.Calls);

        time.Advance(TimeSpan.FromMinutes(2)); // 4 minutes left: inside the 5-minute window
        var during = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(() => provider.GetAsync(CancellationToken.None))));
        Assert.All(during, r => Assert.Equal("AKID1", r.Credentials.AccessKeyId));
        await WaitUntil(() => Task.FromResult(source.Calls == 2));
        await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(() => provider.GetAsync(CancellationToken.None))));
        Assert.Equal(2, source.Calls);

        release.SetResult();
        await WaitUntil(async () => (await provider.GetAsync(CancellationToken.None)).Credentials.AccessKeyId == "AKID2");
        Assert.Equal(2, source.Calls);
    }

    [Fact]
    public async Task Expired_credentials_wait_for_the_refresh()
    {
        var time = new FakeTimeProvider(Start);
        var source = new CountingSource(n => Task.FromResult(CountingSource.Keys(n.ToString(), time.GetUtcNow().AddMinutes(15))));
        var provider = new CachedCredentialProvider(source, time, Options);
        await provider.GetAsync(CancellationToken.None);

        time.Advance(TimeSpan.FromMinutes(20));

        Assert.Equal("AKID2", (await provider.GetAsync(CancellationToken.None)).Credentials.AccessKeyId);
    }

    [Fact]
    public async Task A_short_session_is_refreshed_at_half_its_life_not_continuously()
    {
        var time = new FakeTimeProvider(Start);
        var source = new CountingSource(n => Task.FromResult(CountingSource.Keys(n.ToString(), time.GetUtcNow().AddMinutes(2))));
        var provider = new CachedCredentialProvider(source, time, Options);
        await provider.GetAsync(CancellationToken.None);

        time.Advance(TimeSpan.FromSeconds(50));
        await provider.GetAsync(CancellationToken.None);
        Assert.Equal(1, source.Calls);

        time.Advance(TimeSpan.FromSeconds(20)); // past half of the two minutes
        await provider.GetAsync(CancellationToken.None);
        await WaitUntil(() => Task.FromResult(source.Calls == 2));
        await provider.GetAsync(CancellationToken.None);
        await Task.Delay(50);
        Assert.Equal(2, source.Calls);
    }

    [Fact]
    public async Task A_failing_source_is_retried_with_bounds_then_left_alone_until_the_hold_off_ends_and_recovers()
    {
        var time = new FakeTimeProvider(Start);
        bool broken = true;
        var source = new CountingSource(n => broken
            ? throw new CredentialSourceException("endpoint unreachable")
            : Task.FromResult(CountingSource.Keys("ok", time.GetUtcNow().AddHours(1))));
        var provider = new CachedCredentialProvider(source, time, Options);

        var first = await Assert.ThrowsAsync<CredentialSourceException>(() => provider.GetAsync(CancellationToken.None));
        Assert.Equal("endpoint unreachable", first.Message);
        Assert.Equal(Options.Attempts, source.Calls);

        await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Assert.ThrowsAsync<CredentialSourceException>(() => provider.GetAsync(CancellationToken.None))));
        Assert.Equal(Options.Attempts, source.Calls);

        broken = false;
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("AKIDok", (await provider.GetAsync(CancellationToken.None)).Credentials.AccessKeyId);
        Assert.Equal(Options.Attempts + 1, source.Calls);
    }

    [Fact]
    public async Task Long_lived_keys_are_read_again_after_their_ttl()
    {
        var time = new FakeTimeProvider(Start);
        var source = new CountingSource(n => Task.FromResult(CountingSource.Keys(n.ToString(), null)));
        var provider = new CachedCredentialProvider(source, time, Options);
        await provider.GetAsync(CancellationToken.None);
        time.Advance(Options.LongLivedKeysTtl - TimeSpan.FromSeconds(1));
        await provider.GetAsync(CancellationToken.None);
        Assert.Equal(1, source.Calls);

        time.Advance(TimeSpan.FromSeconds(2));
        await provider.GetAsync(CancellationToken.None);
        await WaitUntil(() => Task.FromResult(source.Calls == 2));
    }

    private static async Task WaitUntil(Func<Task<bool>> condition)
    {
        for (int i = 0; i < 200; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(10);
        }

        Assert.Fail("condition not reached within 2 s");
    }
}
