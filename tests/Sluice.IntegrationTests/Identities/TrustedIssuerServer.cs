using System.Net.Http.Headers;
using Sluice.IntegrationTests.Credentials;
using Sluice.IntegrationTests.Http;
using static Sluice.IntegrationTests.Http.HttpTestSupport;

namespace Sluice.IntegrationTests.Identities;

/// <summary>
/// A real OpenID Connect issuer on 127.0.0.1 and a real Sluice server that trusts it through an
/// identities file, with the accounts <c>matrix</c> and <c>other</c>. The rules (first match wins):
/// <list type="bullet">
/// <item><c>trainers</c>: Kubernetes service-account tokens of namespaces <c>ml-*</c> whose service account is <c>trainer</c>, under <c>ns/${kubernetes.io.namespace}/</c>;</item>
/// <item><c>ci</c>: GitHub Actions tokens of <c>acme/models</c> on a branch, reading under <c>ci/${run_id}/</c>;</item>
/// <item><c>uploader</c>, <c>reader</c>, <c>writer</c> (claim <c>role</c>): <c>uploads/</c> with GET, PUT and DELETE; GET only; PUT only.</item>
/// </list>
/// Every rule is for account <c>matrix</c>, bucket <c>allowed-bucket</c>, and URLs of at most 3600 s.
/// </summary>
public sealed class TrustedIssuerServer : IAsyncLifetime
{
    public const string Audience = "sluice";
    public const string Account = "matrix";
    public const string Bucket = "allowed-bucket";

    private readonly TempDirectory _files = new();

    public OidcIssuer Issuer { get; private set; } = null!;

    public SluiceTestHost Host { get; private set; } = null!;

    /// <summary>A client that sends no token of its own (the host's client sends the admin token).</summary>
    public HttpClient Anonymous { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Issuer = await OidcIssuer.StartAsync();
        string identities = _files.Write("identities.yaml", $$"""
            issuers:
              - issuer: {{Issuer.Url}}
                audiences: [{{Audience}}]
                key-refresh-seconds: 1
                clock-skew-seconds: 1
                rules:
                  - name: trainers
                    claims:
                      kubernetes.io.namespace: "ml-*"
                      kubernetes.io.serviceaccount.name: trainer
                    scope:
                      accounts: [{{Account}}]
                      buckets: [{{Bucket}}]
                      prefixes: ["ns/${kubernetes.io.namespace}/"]
                      methods: [GET, PUT]
                      max-expiration: 3600
                  - name: ci
                    claims:
                      repository: acme/models
                      ref: refs/heads/*
                    scope:
                      accounts: [{{Account}}]
                      buckets: [{{Bucket}}]
                      prefixes: ["ci/${run_id}/"]
                      methods: GET
                      max-expiration: 3600
                  - name: uploader
                    claims: { role: uploader }
                    scope: { accounts: [{{Account}}], buckets: [{{Bucket}}], prefixes: [uploads/], methods: [GET, PUT, DELETE], max-expiration: 3600 }
                  - name: reader
                    claims: { role: reader }
                    scope: { accounts: [{{Account}}], buckets: [{{Bucket}}], prefixes: [uploads/], methods: [GET], max-expiration: 3600 }
                  - name: writer
                    claims: { role: writer }
                    scope: { accounts: [{{Account}}], buckets: [{{Bucket}}], prefixes: [uploads/], methods: [PUT], max-expiration: 3600 }
            """);
        Host = await SluiceTestHost.StartAsync(settings: new Dictionary<string, string?> { ["Sluice:IdentitiesConfig"] = identities });
        Anonymous = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = Host.BaseAddress };
        await PutAccountAsync(Host.Client, Account, "region: us-east-1\naccess-key-id: AKIAMATRIX\nsecret-access-key: matrix-secret\n");
        await PutAccountAsync(Host.Client, "other", "region: us-east-1\naccess-key-id: AKIAOTHER\nsecret-access-key: other-secret\n");
    }

    /// <summary>A token of the issuer for <paramref name="subject"/> with <paramref name="claims"/> added, for audience <c>sluice</c>.</summary>
    public string Token(string subject, IReadOnlyDictionary<string, object>? claims = null, TimeSpan? lifetime = null)
    {
        var payload = Issuer.Claims(subject, lifetime ?? TimeSpan.FromMinutes(10), Audience);
        foreach (var (name, value) in claims ?? new Dictionary<string, object>())
        {
            payload[name] = value;
        }

        return Issuer.Sign(payload);
    }

    /// <summary>A token for <c>role: <paramref name="role"/></c>.</summary>
    public string RoleToken(string role) => Token("user-" + role, new Dictionary<string, object> { ["role"] = role });

    /// <summary>Sends <paramref name="method"/> <paramref name="path"/> (exactly as written) with <paramref name="bearer"/>.</summary>
    public async Task<HttpResponseMessage> SendAsync(string method, string path, string? bearer, string? body = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), Host.RawUrl(path)) { Content = body is null ? null : Yaml(body) };
        request.Headers.Authorization = bearer is null ? null : new AuthenticationHeaderValue("Bearer", bearer);
        return await Anonymous.SendAsync(request);
    }

    public async Task DisposeAsync()
    {
        Anonymous.Dispose();
        await Host.DisposeAsync();
        await Issuer.DisposeAsync();
        _files.Dispose();
    }
}
