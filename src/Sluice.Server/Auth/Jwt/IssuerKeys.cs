using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Sluice.Core.Identities;

namespace Sluice.Server.Auth.Jwt;

/// <summary>
/// One issuer's discovery document and signing keys (JWKS), fetched and parsed by
/// Microsoft.IdentityModel and cached here. What this adds to the library's own
/// <c>ConfigurationManager</c>, which refreshes in the background: a token naming a key
/// (<c>kid</c>) not in the cache makes the keys be fetched again <em>before</em> it is checked, so
/// the first token signed after a rotation is accepted, at most once per
/// <see cref="TrustedIssuer.KeyRefreshInterval"/> (a stream of made-up kids costs the issuer one
/// request an interval); and <see cref="Failing"/> says the issuer could not be reached, so its
/// tokens are answered 503 rather than 401 while their keys cannot be checked.
/// </summary>
public sealed partial class IssuerKeys : IConfigurationManager<OpenIdConnectConfiguration>, IDisposable
{
    /// <summary>Keys are read again at least this often even when no token names a new one.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromHours(1);

    private readonly TrustedIssuer _issuer;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HttpClient _http;
    private readonly HttpDocumentRetriever _documents;
    private readonly SemaphoreSlim _fetching = new(1, 1);
    private OpenIdConnectConfiguration? _current;
    private DateTimeOffset _fetchedAt;
    private DateTimeOffset _attemptedAt = DateTimeOffset.MinValue;
    private volatile bool _failing;

    public IssuerKeys(TrustedIssuer issuer, TimeProvider time, ILogger logger)
    {
        _issuer = issuer;
        _time = time;
        _logger = logger;
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromSeconds(10) };
        _documents = new HttpDocumentRetriever(_http) { RequireHttps = issuer.DiscoveryUrl.Scheme == Uri.UriSchemeHttps };
    }

    /// <summary>The issuer whose keys these are.</summary>
    public string Issuer => _issuer.Issuer;

    /// <summary>The last attempt to fetch the keys failed: the issuer is down or unreachable from here.</summary>
    public bool Failing => _failing;

    /// <summary>The cached document and keys, fetched when there are none yet or they are older than <see cref="MaxAge"/>.</summary>
    /// <exception cref="InvalidOperationException">There are none and they cannot be fetched now.</exception>
    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(CancellationToken cancel)
    {
        OpenIdConnectConfiguration? current = Volatile.Read(ref _current);
        if (current is null || _time.GetUtcNow() - _fetchedAt >= MaxAge)
        {
            current = await FetchAsync(cancel);
        }

        return current ?? throw new InvalidOperationException($"the keys of {_issuer.Issuer} cannot be fetched");
    }

    /// <summary>Fetches the keys again first when <paramref name="keyId"/> is not among the cached ones.</summary>
    public async Task EnsureKeyAsync(string? keyId, CancellationToken cancel)
    {
        OpenIdConnectConfiguration? current = Volatile.Read(ref _current);
        if (current is null || (keyId is not null && !current.SigningKeys.Any(key => key.KeyId == keyId)))
        {
            await FetchAsync(cancel);
        }
    }

    /// <summary>The bearer handler asks after a token whose key was not found; <see cref="EnsureKeyAsync"/> has already fetched then.</summary>
    public void RequestRefresh()
    {
    }

    public void Dispose()
    {
        _http.Dispose();
        _fetching.Dispose();
    }

    private async Task<OpenIdConnectConfiguration?> FetchAsync(CancellationToken cancel)
    {
        await _fetching.WaitAsync(cancel);
        try
        {
            DateTimeOffset now = _time.GetUtcNow();
            if (now - _attemptedAt < _issuer.KeyRefreshInterval)
            {
                return _current; // fetched a moment ago, by this request's neighbour or one before it
            }

            _attemptedAt = now;
            try
            {
                OpenIdConnectConfiguration fetched = await OpenIdConnectConfigurationRetriever.GetAsync(_issuer.DiscoveryUrl.AbsoluteUri, _documents, cancel);
                Volatile.Write(ref _current, fetched);
                _fetchedAt = now;
                if (_failing)
                {
                    LogRecovered(_logger, _issuer.Issuer, fetched.SigningKeys.Count);
                }

                _failing = false;
            }
            catch (Exception e) when (e is IOException or HttpRequestException or InvalidOperationException or ArgumentException or System.Text.Json.JsonException
                                          || (e is OperationCanceledException && !cancel.IsCancellationRequested))
            {
                _failing = true;
                LogUnreachable(_logger, _issuer.Issuer, _issuer.DiscoveryUrl.AbsoluteUri, e.GetBaseException().Message);
            }

            return _current;
        }
        finally
        {
            _fetching.Release();
        }
    }

    [LoggerMessage(EventId = 40, EventName = "IssuerKeysUnreachable", Level = LogLevel.Warning,
        Message = "The signing keys of {Issuer} cannot be fetched from {DiscoveryUrl}: {Reason}. Its tokens are answered 503 until they can.")]
    private static partial void LogUnreachable(ILogger logger, string issuer, string discoveryUrl, string reason);

    [LoggerMessage(EventId = 41, EventName = "IssuerKeysFetched", Level = LogLevel.Information,
        Message = "The signing keys of {Issuer} can be fetched again ({KeyCount} keys).")]
    private static partial void LogRecovered(ILogger logger, string issuer, int keyCount);
}
