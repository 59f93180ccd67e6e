using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Sluice.IntegrationTests.Credentials;

/// <summary>
/// A local OpenID Connect issuer, as EKS runs one for IRSA: <c>/.well-known/openid-configuration</c>
/// names a JWKS whose one RSA key carries its certificate in <c>x5c</c> (RGW 16 checks token
/// signatures with that certificate and its SHA-1 thumbprint), and <see cref="Mint"/> writes
/// RS256 tokens with <c>iss</c>, <c>aud</c>, <c>sub</c>, <c>iat</c>, <c>exp</c> (<see cref="Sign"/>
/// any payload). <see cref="RotateKey"/> replaces the signing key, and the keys then published
/// hold only the new one; <see cref="Unavailable"/> makes the issuer answer 503, as one that is down.
/// <see cref="RegisterAsync"/> makes the gateway trust it: the admin user gets the caps
/// <c>oidc-provider=*</c>, IAM <c>CreateOpenIDConnectProvider</c> registers the issuer, and a
/// role trusts <c>{"Federated":["arn:aws:iam:::oidc-provider/127.0.0.1:PORT"]}</c>.
/// </summary>
public sealed class OidcIssuer : IAsyncDisposable
{
    private RSA _key = RSA.Create(2048);
    private X509Certificate2 _certificate;
    private readonly List<IDisposable> _retired = [];
    private LoopbackHttpServer _server = null!;
    private int _discoveryRequests;
    private int _keyRequests;

    private OidcIssuer()
    {
        _certificate = SelfSigned(_key);
    }

    /// <summary>The client id registered with the provider and written as <c>aud</c>.</summary>
    public string ClientId { get; } = "sts.amazonaws.com";

    /// <summary><c>http://127.0.0.1:PORT</c>: the issuer URL and the tokens' <c>iss</c>.</summary>
    public string Url => _server.BaseUrl;

    /// <summary>The provider's ARN as the gateway names it (the URL without its scheme).</summary>
    public string ProviderArn => $"arn:aws:iam:::oidc-provider/127.0.0.1:{_server.Port}";

    /// <summary>The role that trusts this issuer (set by <see cref="RegisterAsync"/>).</summary>
    public string RoleArn { get; private set; } = "";

    /// <summary>Requests for the discovery document and for the keys: proof the gateway checked a signature.</summary>
    public int DiscoveryRequests => Volatile.Read(ref _discoveryRequests);

    public int KeyRequests => Volatile.Read(ref _keyRequests);

    /// <summary>While true, every request is answered 503: an issuer that is down.</summary>
    public bool Unavailable { get; set; }

    /// <summary>The key tokens are signed with now (a token signed with it after a rotation names a retired key).</summary>
    public RSA SigningKey => _key;

    public static async Task<OidcIssuer> StartAsync()
    {
        var issuer = new OidcIssuer();
        issuer._server = await LoopbackHttpServer.StartAsync(issuer.HandleAsync);
        return issuer;
    }

    /// <summary>Registers the issuer with the gateway's IAM and creates a role that trusts it.</summary>
    public async Task RegisterAsync(StsGatewayFixture gateway)
    {
        await gateway.RadosgwAdminAsync("caps", "add", $"--uid={StsGatewayFixture.AdminUser}", "--caps=oidc-provider=*");
        var (status, body) = await gateway.IamAsync(
        [
            ("Action", "CreateOpenIDConnectProvider"),
            ("Url", Url),
            ("ClientIDList.member.1", ClientId),
            ("ThumbprintList.member.1", _certificate.Thumbprint),
        ]);
        if (status != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"IAM CreateOpenIDConnectProvider for {Url} answered {(int)status}: {body}");
        }

        string roleName = "sluice-irsa-" + Guid.NewGuid().ToString("N")[..12];
        await gateway.CreateRoleAsync(
            roleName,
            $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":["{{ProviderArn}}"]},"Action":["sts:AssumeRoleWithWebIdentity"]}]}""");
        RoleArn = $"arn:aws:iam:::role/{roleName}";
    }

    /// <summary>An RS256 token for <paramref name="subject"/>, signed with the issuer's key or with <paramref name="signer"/>.</summary>
    public string Mint(string subject, TimeSpan lifetime, RSA? signer = null) => Sign(Claims(subject, lifetime), signer);

    /// <summary>The standard claims of a token for <paramref name="subject"/> (<c>iss</c>, <c>aud</c>, <c>sub</c>, <c>iat</c>, <c>nbf</c>, <c>exp</c>), to add to or change.</summary>
    public Dictionary<string, object> Claims(string subject, TimeSpan lifetime, string? audience = null)
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return new Dictionary<string, object>
        {
            ["iss"] = Url,
            ["aud"] = audience ?? ClientId,
            ["sub"] = subject,
            ["iat"] = now,
            ["nbf"] = now - 5,
            ["exp"] = now + (long)lifetime.TotalSeconds,
        };
    }

    /// <summary>
    /// <paramref name="payload"/> as a compact JWS: RS256 with the issuer's current key (its <c>kid</c> in the
    /// header), or with <paramref name="signer"/>; <paramref name="algorithm"/> <c>none</c> writes no signature.
    /// </summary>
    public string Sign(IReadOnlyDictionary<string, object> payload, RSA? signer = null, string algorithm = "RS256")
    {
        var headerFields = new Dictionary<string, object> { ["alg"] = algorithm, ["typ"] = "JWT" };
        if (algorithm != "none")
        {
            headerFields["kid"] = KeyId;
        }

        string header = Base64Url(JsonSerializer.SerializeToUtf8Bytes(headerFields));
        string body = Base64Url(JsonSerializer.SerializeToUtf8Bytes(payload));
        if (algorithm == "none")
        {
            return $"{header}.{body}.";
        }

        byte[] signature = (signer ?? _key).SignData(Encoding.ASCII.GetBytes($"{header}.{body}"), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{header}.{body}.{Base64Url(signature)}";
    }

    /// <summary>A new signing key with a new <c>kid</c>; the keys published from now on hold only it.</summary>
    public void RotateKey()
    {
        _retired.Add(_key);
        _retired.Add(_certificate);
        _key = RSA.Create(2048);
        _certificate = SelfSigned(_key);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _certificate.Dispose();
        _key.Dispose();
        _retired.ForEach(retired => retired.Dispose());
    }

    private string KeyId => _certificate.Thumbprint[..16].ToLowerInvariant();

    private static X509Certificate2 SelfSigned(RSA key)
    {
        var request = new CertificateRequest("CN=sluice-test-oidc-issuer", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
    }

    private async Task HandleAsync(HttpContext context)
    {
        string path = context.Request.Path.Value ?? "";
        if (Unavailable)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        object? document = null;
        if (path == "/.well-known/openid-configuration")
        {
            Interlocked.Increment(ref _discoveryRequests);
            document = new Dictionary<string, object>
            {
                ["issuer"] = Url,
                ["jwks_uri"] = Url + "/keys",
                ["response_types_supported"] = new[] { "id_token" },
                ["subject_types_supported"] = new[] { "public" },
                ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            };
        }
        else if (path == "/keys")
        {
            Interlocked.Increment(ref _keyRequests);
            RSAParameters parameters = _key.ExportParameters(includePrivateParameters: false);
            document = new Dictionary<string, object>
            {
                ["keys"] = new[]
                {
                    new Dictionary<string, object>
                    {
                        ["kty"] = "RSA",
                        ["use"] = "sig",
                        ["alg"] = "RS256",
                        ["kid"] = KeyId,
                        ["n"] = Base64Url(parameters.Modulus!),
                        ["e"] = Base64Url(parameters.Exponent!),
                        ["x5c"] = new[] { Convert.ToBase64String(_certificate.RawData) },
                    },
                },
            };
        }

        if (document is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(document));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
