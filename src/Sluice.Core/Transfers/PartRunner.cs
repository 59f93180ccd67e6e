using System.Runtime.ExceptionServices;

namespace Sluice.Core.Transfers;

/// <summary>
/// Runs one task per part of a file (sent or fetched), at most as many at once as the transfer's
/// <c>slots</c> allow, which other files share. The first failure cancels the parts not yet done;
/// every part started is awaited before this returns (they share the file's handle), and what is
/// thrown is that first real failure, not the cancellations it caused (or the caller's own
/// cancellation, when that came first).
/// </summary>
public static class PartRunner
{
    public static async Task RunAsync(int count, SemaphoreSlim slots, Func<int, CancellationToken, Task> part, CancellationToken cancellationToken)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var tasks = new List<Task>(count);
        try
        {
            for (int i = 0; i < count && !failed.IsCancellationRequested; i++)
            {
                await slots.WaitAsync(failed.Token);
                int index = i;
                tasks.Add(Task.Run(async () =>
                {
                    try
                    {
                        await part(index, failed.Token);
                    }
                    catch
                    {
                        await failed.CancelAsync();
                        throw;
                    }
                    finally
                    {
                        slots.Release();
                    }
                }, CancellationToken.None));
            }

            await Task.WhenAll(tasks);
            cancellationToken.ThrowIfCancellationRequested();
        }
        catch (Exception e)
        {
            await Task.WhenAll(tasks.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
            Exception? first = tasks.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException!).FirstOrDefault(x => x is not OperationCanceledException);
            ExceptionDispatchInfo.Throw(cancellationToken.IsCancellationRequested ? e : first ?? e);
        }
    }
}
