using System.Diagnostics;

namespace Sluice.IntegrationTests.Persistence;

/// <summary>
/// Waiting for a change made through one instance to show on another: polled, never slept, and
/// failed when it takes longer than the bound the README states.
/// </summary>
public static class Propagation
{
    /// <summary>How soon a change no listener heard of (its connection was down) reaches an instance while the database is up.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(1);

    /// <summary>Polls <paramref name="reached"/> until it holds; returns how long that took.</summary>
    public static async Task<TimeSpan> WithinAsync(TimeSpan bound, string what, Func<Task<bool>> reached)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await reached())
            {
                return clock.Elapsed;
            }

            Assert.True(clock.Elapsed <= bound, $"{what}: not seen within {bound.TotalMilliseconds:0} ms");
            await Task.Delay(10);
        }
    }

    public static Task<TimeSpan> WithinBoundAsync(string what, Func<Task<bool>> reached) => WithinAsync(Bound, what, reached);
}
