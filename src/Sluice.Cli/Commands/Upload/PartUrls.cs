namespace Sluice.Cli.Commands.Upload;

/// <summary>
/// Part URLs signed as late as possible: asked for a part it holds no fresh URL for, it signs that
/// part and the next few still to send in one call (<see cref="BatchSize"/>), so a long upload never
/// holds a URL that expires before it is used. Each URL is handed out once; a retry after a 403
/// asks for a fresh one.
/// </summary>
public sealed class PartUrls(UploadApi api, string key, string uploadId, IReadOnlyList<int> pending, int batchSize, TimeProvider time) : IDisposable
{
    /// <summary>A URL closer than this to its expiry is signed again rather than used.</summary>
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly Dictionary<int, (string Url, DateTimeOffset ExpiresAt)> _signed = [];
    private readonly int[] _order = [.. pending.Order()];

    public int BatchSize { get; } = batchSize;

    /// <summary>Calls to the server so far (for the plain progress lines).</summary>
    public int SigningCalls { get; private set; }

    public async Task<string> GetAsync(int partNumber, bool fresh, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (_signed.Remove(partNumber, out var held) && !fresh && held.ExpiresAt - time.GetUtcNow() > Margin)
            {
                return held.Url;
            }

            var batch = new List<int> { partNumber };
            int index = Array.BinarySearch(_order, partNumber);
            for (int i = index + 1; !fresh && index >= 0 && i < _order.Length && batch.Count < BatchSize; i++)
            {
                if (!_signed.TryGetValue(_order[i], out var next) || next.ExpiresAt - time.GetUtcNow() <= Margin)
                {
                    batch.Add(_order[i]);
                }
            }

            SignedParts signed = await api.SignAsync(key, uploadId, batch, cancellationToken);
            SigningCalls++;
            foreach (var (number, url) in signed.Urls)
            {
                if (number != partNumber)
                {
                    _signed[number] = (url, signed.ExpiresAt);
                }
            }

            return signed.Urls.TryGetValue(partNumber, out string? mine)
                ? mine
                : throw new UploadApiException(null, $"the server signed no URL for part {partNumber}");
        }
        finally
        {
            _lock.Release();
        }
    }

    public void Dispose() => _lock.Dispose();
}
