using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Sluice.IntegrationTests.Azure;

/// <summary>
/// A local Microsoft Entra ID token endpoint over TLS, speaking the documented OAuth 2.0 client
/// credentials grant (<c>POST /{tenant}/oauth2/v2.0/token</c>) and OpenID discovery: for the one
/// application it knows, it answers an access token in the shape Azure Storage expects (audience
/// <c>https://storage.azure.com</c>, issuer <c>https://sts.windows.net/{tenant}/</c>, the principal's
/// <c>oid</c> and <c>tid</c>), which Azurite takes; a wrong secret gets AADSTS7000215. The tokens
/// asked for are counted by tenant.
/// </summary>
public sealed class EntraTokenEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EntraTokenEndpoint(WebApplication app, string clientId, string clientSecret)
    {
        _app = app;
        ClientId = clientId;
        ClientSecret = clientSecret;
    }

    public string TenantId { get; } = Guid.NewGuid().ToString();

    public string ObjectId { get; } = Guid.NewGuid().ToString();

    public string ClientId { get; }

    public string ClientSecret { get; }

    /// <summary><c>https://127.0.0.1:PORT/</c>: the authority host.</summary>
    public Uri AuthorityHost { get; private set; } = null!;

    /// <summary>Tokens issued so far.</summary>
    public int TokensIssued => _issued.Count;

    private readonly ConcurrentBag<string> _issued = [];

    public static async Task<EntraTokenEndpoint> StartAsync(LoopbackTls tls)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0, listen => listen.UseHttps(tls.Certificate)));
        var app = builder.Build();
        var endpoint = new EntraTokenEndpoint(app, Guid.NewGuid().ToString(), "entra-secret-" + Guid.NewGuid().ToString("N"));
        app.MapGet("/{tenant}/v2.0/.well-known/openid-configuration", (string tenant) => Results.Json(new Dictionary<string, string>
        {
            ["issuer"] = $"https://login.microsoftonline.com/{tenant}/v2.0",
            ["token_endpoint"] = $"{endpoint.AuthorityHost}{tenant}/oauth2/v2.0/token",
            ["authorization_endpoint"] = $"{endpoint.AuthorityHost}{tenant}/oauth2/v2.0/authorize",
            ["jwks_uri"] = $"{endpoint.AuthorityHost}{tenant}/discovery/v2.0/keys",
        }));
        app.MapPost("/{tenant}/oauth2/v2.0/token", async (string tenant, HttpRequest request) =>
        {
            IFormCollection form = await request.ReadFormAsync();
            if (tenant != endpoint.TenantId || form["client_id"] != endpoint.ClientId || form["client_secret"] != endpoint.ClientSecret)
            {
                return Results.Json(new { error = "invalid_client", error_description = "AADSTS7000215: Invalid client secret provided." }, statusCode: 401);
            }

            if (form["grant_type"] != "client_credentials" || form["scope"] != "https://storage.azure.com/.default")
            {
                return Results.Json(new { error = "invalid_request", error_description = $"unexpected grant {form["grant_type"]} / scope {form["scope"]}" }, statusCode: 400);
            }

            endpoint._issued.Add(tenant);
            return Results.Json(new { token_type = "Bearer", expires_in = 3599, ext_expires_in = 3599, access_token = endpoint.AccessToken() });
        });
        await app.StartAsync();
        endpoint.AuthorityHost = new Uri(new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).GetLeftPart(UriPartial.Authority) + "/");
        return endpoint;
    }

    private string AccessToken()
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        string header = Encode(new { alg = "RS256", typ = "JWT" });
        string payload = Encode(new
        {
            aud = "https://storage.azure.com",
            iss = $"https://sts.windows.net/{TenantId}/",
            iat = now,
            nbf = now - 60,
            exp = now + 3600,
            oid = ObjectId,
            tid = TenantId,
            appid = ClientId,
        });
        return $"{header}.{payload}.{Convert.ToBase64String(Encoding.ASCII.GetBytes("not-checked-by-azurite")).TrimEnd('=')}";
    }

    private static string Encode(object value) =>
        Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(value)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
