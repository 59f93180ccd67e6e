using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Sluice.Core.Credentials;

/// <summary>
/// Keeps the credentials of one source and refreshes them ahead of their expiry. However many
/// requests arrive, one refresh runs at a time; while it runs, requests keep the still-valid
/// credentials, and only a request that has none left waits for it. A refresh tries the source
/// a few times with backoff; after a failure the source is left alone for a short while (the
/// error is answered at once), so a broken endpoint is not hammered, and the first request after
/// that window tries again, so recovery needs no restart.
/// </summary>
public sealed class CachedCredentialProvider
{
    private readonly ICredentialSource _source;
    private readonly TimeProvider _time;
    private readonly CredentialRefreshOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private SourcedCredentials? _current;
    private DateTimeOffset _fetchedAt;
    private Task<SourcedCredentials>? _refresh;
    private (CredentialSourceException Error, DateTimeOffset Until)? _failure;

    public CachedCredentialProvider(ICredentialSource source, TimeProvider time, CredentialRefreshOptions options, ILogger<CachedCredentialProvider>? logger = null)
    {
        _source = source;
        _time = time;
        _options = options;
        _logger = logger ?? NullLogger<CachedCredentialProvider>.Instance;
    }

    /// <summary>Refreshes completed and failed so far, for metrics.</summary>
    public long Refreshes => Interlocked.Read(ref _refreshes);

    public long RefreshFailures => Interlocked.Read(ref _refreshFailures);

    private long _refreshes;
    private long _refreshFailures;

    public async Task<SourcedCredentials> GetAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset now = _time.GetUtcNow();
        Task<SourcedCredentials>? refresh;
        lock (_gate)
        {
            SourcedCredentials? current = _current;
            if (current is not null && now < RefreshAt(current))
            {
                return current;
            }

            bool stillValid = current is not null && now < (current.ExpiresAt ?? DateTimeOffset.MaxValue) - _options.ExpiryBuffer;
            if (_refresh is null && _failure is { } failure && now < failure.Until)
            {
                return stillValid ? current! : throw failure.Error;
            }

            refresh = _refresh ??= RefreshAsync();
            if (stillValid)
            {
                return current!;
            }
        }

        return await refresh.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// When the current credentials should be replaced: ahead of expiry (by at most half their
    /// lifetime, so short sessions are not refreshed endlessly), or periodically for long-lived keys.
    /// </summary>
    private DateTimeOffset RefreshAt(SourcedCredentials credentials)
    {
        if (credentials.ExpiresAt is not { } expiresAt)
        {
            return _fetchedAt + _options.LongLivedKeysTtl;
        }

        TimeSpan halfLife = (expiresAt - _fetchedAt) / 2;
        return expiresAt - (halfLife < _options.RefreshBeforeExpiry ? halfLife : _options.RefreshBeforeExpiry);
    }

    private async Task<SourcedCredentials> RefreshAsync()
    {
        await Task.Yield(); // never run the source under the lock
        CredentialSourceException? last = null;
        for (int attempt = 0; attempt < _options.Attempts; attempt++)
        {
            if (attempt > 0)
            {
                await Task.Delay(_options.RetryDelay * (1 << (attempt - 1)), _time);
            }

            try
            {
                SourcedCredentials fresh = await _source.FetchAsync(CancellationToken.None);
                lock (_gate)
                {
                    _current = fresh;
                    _fetchedAt = _time.GetUtcNow();
                    _failure = null;
                    _refresh = null;
                }

                Interlocked.Increment(ref _refreshes);
                CredentialLog.Refreshed(_logger, fresh.Source, fresh.ExpiresAt);
                return fresh;
            }
            catch (CredentialSourceException e)
            {
                last = e;
                Interlocked.Increment(ref _refreshFailures);
                CredentialLog.RefreshFailed(_logger, attempt + 1, _options.Attempts, e.Message);
            }
        }

        lock (_gate)
        {
            _failure = (last!, _time.GetUtcNow() + _options.FailureHoldOff);
            _refresh = null;
        }

        throw last!;
    }
}
