using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Sluice.IntegrationTests.Credentials;

/// <summary>
/// The container credentials protocol as the EKS Pod Identity agent and the ECS agent speak it:
/// <c>GET /v1/credentials</c> with an <c>Authorization</c> header equal to the token in
/// <c>AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE</c>, answered with JSON <c>AccessKeyId</c>,
/// <c>SecretAccessKey</c>, <c>Token</c>, <c>Expiration</c>. The credentials are real: each call
/// gets a fresh session from the gateway's STS <c>AssumeRole</c>. Counts its calls, can fail
/// with 500, stop listening, hold a call until the test releases it, and advertise an expiry
/// sooner than the session's (so a refresh comes within a test's time).
/// </summary>
public sealed class ContainerCredentialsEndpoint : IAsyncDisposable
{
    public const string CredentialsPath = "/v1/credentials";

    private readonly Func<Task<TemporaryKeys>> _issue;
    private readonly ConcurrentQueue<Handout> _handouts = new();
    private readonly ConcurrentQueue<DateTimeOffset> _callTimes = new();
    private LoopbackHttpServer _server = null!;
    private int _calls;
    private int _unauthorized;
    private Hold? _hold;

    private ContainerCredentialsEndpoint(Func<Task<TemporaryKeys>> issue, string token)
    {
        _issue = issue;
        ExpectedToken = token;
    }

    /// <summary>One answer: the credentials handed out and the expiry advertised with them.</summary>
    public sealed record Handout(int Call, DateTimeOffset At, TemporaryKeys Keys, DateTimeOffset AdvertisedExpiration);

    /// <summary>A call held before it is answered, until <see cref="Release"/>.</summary>
    public sealed class Hold
    {
        private readonly TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes when a call has arrived and is being held.</summary>
        public Task Arrived => _arrived.Task;

        public void Release() => _released.TrySetResult();

        internal async Task WaitAsync()
        {
            _arrived.TrySetResult();
            await _released.Task.WaitAsync(TimeSpan.FromMinutes(2));
        }
    }

    /// <summary>The value the <c>Authorization</c> header must have; change it to rotate the token.</summary>
    public string ExpectedToken { get; set; }

    /// <summary>When true every call is answered 500.</summary>
    public bool Failing { get; set; }

    /// <summary>When set, <c>Expiration</c> is this far from now (never past the session's real end).</summary>
    public TimeSpan? AdvertisedLifetime { get; set; }

    /// <summary>Every call, answered or not.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Calls whose Authorization header was missing or wrong (answered 401).</summary>
    public int Unauthorized => Volatile.Read(ref _unauthorized);

    public IReadOnlyList<Handout> Handouts => [.. _handouts];

    public IReadOnlyList<DateTimeOffset> CallTimes => [.. _callTimes];

    /// <summary><c>AWS_CONTAINER_CREDENTIALS_FULL_URI</c>.</summary>
    public string FullUri => _server.BaseUrl + CredentialsPath;

    public static async Task<ContainerCredentialsEndpoint> StartAsync(Func<Task<TemporaryKeys>> issue, string token)
    {
        var endpoint = new ContainerCredentialsEndpoint(issue, token);
        endpoint._server = await LoopbackHttpServer.StartAsync(endpoint.HandleAsync);
        return endpoint;
    }

    /// <summary>Holds the next successful call (after the token check) until the test releases it.</summary>
    public Hold HoldNextCall()
    {
        var hold = new Hold();
        Volatile.Write(ref _hold, hold);
        return hold;
    }

    /// <summary>Stops listening: connections are refused until <see cref="StartListeningAsync"/>.</summary>
    public Task StopListeningAsync() => _server.StopAsync();

    public Task StartListeningAsync() => _server.StartAsync();

    public async ValueTask DisposeAsync()
    {
        Volatile.Read(ref _hold)?.Release();
        await _server.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (context.Request.Path != CredentialsPath || !HttpMethods.IsGet(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        int call = Interlocked.Increment(ref _calls);
        _callTimes.Enqueue(DateTimeOffset.UtcNow);
        if (Failing)
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            await context.Response.WriteAsync("credentials endpoint failing on purpose");
            return;
        }

        if (context.Request.Headers.Authorization.ToString() != ExpectedToken)
        {
            Interlocked.Increment(ref _unauthorized);
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        if (Interlocked.Exchange(ref _hold, null) is { } hold)
        {
            await hold.WaitAsync();
        }

        TemporaryKeys keys = await _issue();
        DateTimeOffset now = DateTimeOffset.UtcNow;
        DateTimeOffset advertised = AdvertisedLifetime is { } lifetime && now + lifetime < keys.Expiration ? now + lifetime : keys.Expiration;
        advertised = WholeSeconds(advertised);
        _handouts.Enqueue(new Handout(call, now, keys, advertised));

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["AccessKeyId"] = keys.AccessKeyId,
            ["SecretAccessKey"] = keys.SecretAccessKey,
            ["Token"] = keys.SessionToken,
            ["AccountId"] = "000000000000",
            ["Expiration"] = advertised.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        }));
    }

    /// <summary>Down to the whole second, as the agents write it (never later than the real end).</summary>
    public static DateTimeOffset WholeSeconds(DateTimeOffset time) => new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
}
