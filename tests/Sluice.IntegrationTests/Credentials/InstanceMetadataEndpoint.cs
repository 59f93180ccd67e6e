using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Sluice.IntegrationTests.Credentials;

/// <summary>
/// The EC2 instance metadata service's credential paths, IMDSv2 only: <c>PUT /latest/api/token</c>
/// with <c>X-aws-ec2-metadata-token-ttl-seconds</c> gives a session token, and every metadata
/// <c>GET</c> must carry it in <c>X-aws-ec2-metadata-token</c> (401 otherwise, as IMDS does
/// when v1 is turned off). <c>iam/security-credentials/</c> names the role,
/// <c>iam/security-credentials/ROLE</c> gives its credentials (<c>Code</c> "Success",
/// <c>AccessKeyId</c>, <c>SecretAccessKey</c>, <c>Token</c>, <c>Expiration</c>), and
/// <c>iam/info</c> the instance profile, which the SDK reads too. The credentials are real: from
/// the gateway's STS <c>AssumeRole</c>, one session per credentials request.
/// </summary>
public sealed class InstanceMetadataEndpoint : IAsyncDisposable
{
    public const string RoleName = "sluice-instance-role";
    private const string CredentialsPrefix = "/latest/meta-data/iam/security-credentials/";

    private readonly Func<Task<TemporaryKeys>> _issue;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _tokens = new();
    private readonly ConcurrentQueue<TemporaryKeys> _handouts = new();
    private readonly ConcurrentQueue<string> _requests = new();
    private LoopbackHttpServer _server = null!;
    private int _tokenRequests;
    private int _credentialRequests;
    private int _rejected;

    private InstanceMetadataEndpoint(Func<Task<TemporaryKeys>> issue) => _issue = issue;

    /// <summary><c>AWS_EC2_METADATA_SERVICE_ENDPOINT</c> (no trailing slash: the SDK appends <c>/latest/...</c>).</summary>
    public string Endpoint => _server.BaseUrl;

    /// <summary>Session tokens handed out.</summary>
    public int TokenRequests => Volatile.Read(ref _tokenRequests);

    /// <summary>Requests for the role's credentials that were answered.</summary>
    public int CredentialRequests => Volatile.Read(ref _credentialRequests);

    /// <summary>Requests refused: a token request without a TTL, a metadata request without a valid token.</summary>
    public int Rejected => Volatile.Read(ref _rejected);

    public IReadOnlyList<TemporaryKeys> Handouts => [.. _handouts];

    /// <summary>Every request as "METHOD path status", in order.</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    public static async Task<InstanceMetadataEndpoint> StartAsync(Func<Task<TemporaryKeys>> issue)
    {
        var endpoint = new InstanceMetadataEndpoint(issue);
        endpoint._server = await LoopbackHttpServer.StartAsync(endpoint.HandleAsync);
        return endpoint;
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        int status = await AnswerAsync(context);
        _requests.Enqueue($"{context.Request.Method} {context.Request.Path} {status}");
    }

    private async Task<int> AnswerAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        string path = request.Path.Value ?? "";
        if (path == "/latest/api/token")
        {
            if (!HttpMethods.IsPut(request.Method))
            {
                return Refuse(context, StatusCodes.Status405MethodNotAllowed);
            }

            if (!int.TryParse(request.Headers["X-aws-ec2-metadata-token-ttl-seconds"], NumberStyles.None, CultureInfo.InvariantCulture, out int ttl) || ttl is < 1 or > 21600)
            {
                return Refuse(context, StatusCodes.Status400BadRequest);
            }

            string token = "imds-" + Guid.NewGuid().ToString("N");
            _tokens[token] = DateTimeOffset.UtcNow.AddSeconds(ttl);
            Interlocked.Increment(ref _tokenRequests);
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync(token);
            return StatusCodes.Status200OK;
        }

        if (!path.StartsWith("/latest/meta-data/", StringComparison.Ordinal) || !HttpMethods.IsGet(request.Method))
        {
            return Refuse(context, StatusCodes.Status404NotFound);
        }

        string presented = request.Headers["X-aws-ec2-metadata-token"].ToString();
        if (!_tokens.TryGetValue(presented, out DateTimeOffset until) || until < DateTimeOffset.UtcNow)
        {
            return Refuse(context, StatusCodes.Status401Unauthorized);
        }

        DateTimeOffset now = DateTimeOffset.UtcNow;
        if (path == CredentialsPrefix)
        {
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync(RoleName);
            return StatusCodes.Status200OK;
        }

        if (path == "/latest/meta-data/iam/info")
        {
            await WriteJsonAsync(context, new Dictionary<string, string>
            {
                ["Code"] = "Success",
                ["LastUpdated"] = Iso(now),
                ["InstanceProfileArn"] = "arn:aws:iam::000000000000:instance-profile/" + RoleName,
                ["InstanceProfileId"] = "AIPASLUICETEST000000",
            });
            return StatusCodes.Status200OK;
        }

        if (path == CredentialsPrefix + RoleName)
        {
            TemporaryKeys keys = await _issue();
            _handouts.Enqueue(keys);
            Interlocked.Increment(ref _credentialRequests);
            await WriteJsonAsync(context, new Dictionary<string, string>
            {
                ["Code"] = "Success",
                ["LastUpdated"] = Iso(now),
                ["Type"] = "AWS-HMAC",
                ["AccessKeyId"] = keys.AccessKeyId,
                ["SecretAccessKey"] = keys.SecretAccessKey,
                ["Token"] = keys.SessionToken,
                ["Expiration"] = Iso(keys.Expiration),
            });
            return StatusCodes.Status200OK;
        }

        return Refuse(context, StatusCodes.Status404NotFound);
    }

    private int Refuse(HttpContext context, int status)
    {
        if (status != StatusCodes.Status404NotFound)
        {
            Interlocked.Increment(ref _rejected);
        }

        context.Response.StatusCode = status;
        return status;
    }

    private static Task WriteJsonAsync(HttpContext context, Dictionary<string, string> body)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }

    /// <summary>As IMDS writes times: whole seconds, UTC (never later than the real end).</summary>
    private static string Iso(DateTimeOffset time) =>
        ContainerCredentialsEndpoint.WholeSeconds(time).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
