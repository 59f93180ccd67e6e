using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Sluice.IntegrationTests.Audit;
using Sluice.IntegrationTests.Credentials;
using static Sluice.IntegrationTests.Http.HttpTestSupport;

namespace Sluice.IntegrationTests.Identities;

/// <summary>
/// JWTs from a real OIDC issuer on 127.0.0.1, through a real server: accepted and given the scope
/// of their rule (a Kubernetes service-account token gets its namespace's prefix, a GitHub Actions
/// token its run's), refused with the reason when they are not valid (401) or meet no rule (403),
/// the issuer's key rotated mid-run without a restart, and an issuer that is down answered 503.
/// </summary>
[Collection(nameof(TrustedIssuerCollection))]
public sealed class JwtIdentityTests(TrustedIssuerServer server)
{
    private const string Storage = $"/aws/storage/{TrustedIssuerServer.Account}/{TrustedIssuerServer.Bucket}";

    [Fact]
    public async Task A_kubernetes_service_account_token_signs_under_its_namespace_prefix()
    {
        string token = KubernetesToken("ml-vision", "trainer");

        using var inside = await server.SendAsync("GET", $"{Storage}/ns/ml-vision/model.bin", token);
        var signed = await ReadJsonAsync(inside, HttpStatusCode.OK);
        Assert.Contains("/ns/ml-vision/model.bin", signed.GetProperty("url").GetString());

        using var upload = await server.SendAsync("POST", Storage, token, "filename: ns/ml-vision/checkpoints/1.pt\n");
        await ReadJsonAsync(upload, HttpStatusCode.OK);

        // Another namespace's prefix, and a look-alike that only starts with the same letters.
        foreach (string key in (string[])["ns/ml-audio/model.bin", "ns/ml-vision-2/model.bin", "ns/ml-vision/../ml-audio/x"])
        {
            using var outside = await server.SendAsync("GET", $"{Storage}/{key}", token);
            var problem = await ReadProblemAsync(outside, HttpStatusCode.Forbidden);
            Assert.Contains(key.Contains("..") ? "'.' or '..' segments" : "outside its prefixes", problem.GetProperty("detail").GetString());
        }

        using var delete = await server.SendAsync("DELETE", $"{Storage}/ns/ml-vision/model.bin", token);
        Assert.Contains("may not sign DELETE URLs", (await ReadProblemAsync(delete, HttpStatusCode.Forbidden)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_kubernetes_token_outside_the_rules_gets_403_naming_each_rule()
    {
        using var wrongNamespace = await server.SendAsync("GET", $"{Storage}/ns/default/x", KubernetesToken("default", "trainer"));
        string detail = (await ReadProblemAsync(wrongNamespace, HttpStatusCode.Forbidden)).GetProperty("detail").GetString()!;
        Assert.Contains("rule 'trainers': claim 'kubernetes.io.namespace' is 'default', not 'ml-*'", detail);
        Assert.Contains("rule 'ci': claim 'repository' is missing", detail);

        using var wrongAccount = await server.SendAsync("GET", $"{Storage}/ns/ml-vision/x", KubernetesToken("ml-vision", "builder"));
        Assert.Contains(
            "rule 'trainers': claim 'kubernetes.io.serviceaccount.name' is 'builder', not 'trainer'",
            (await ReadProblemAsync(wrongAccount, HttpStatusCode.Forbidden)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_github_actions_token_reads_under_its_run_and_a_claim_that_cannot_be_a_prefix_matches_no_rule()
    {
        string token = GitHubToken("acme/models", "refs/heads/main", runId: "7301");
        using var read = await server.SendAsync("GET", $"{Storage}/ci/7301/report.html", token);
        await ReadJsonAsync(read, HttpStatusCode.OK);

        using var otherRun = await server.SendAsync("GET", $"{Storage}/ci/7302/report.html", token);
        await ReadProblemAsync(otherRun, HttpStatusCode.Forbidden);

        using var write = await server.SendAsync("POST", Storage, token, "filename: ci/7301/out.bin\n");
        Assert.Contains("may not sign PUT URLs", (await ReadProblemAsync(write, HttpStatusCode.Forbidden)).GetProperty("detail").GetString());

        using var tag = await server.SendAsync("GET", $"{Storage}/ci/7301/report.html", GitHubToken("acme/models", "refs/tags/v1", runId: "7301"));
        Assert.Contains("claim 'ref' is 'refs/tags/v1', not 'refs/heads/*'", (await ReadProblemAsync(tag, HttpStatusCode.Forbidden)).GetProperty("detail").GetString());

        // A run id holding a '/' would put one identity's prefix inside another's: the rule does not apply.
        using var slash = await server.SendAsync("GET", $"{Storage}/ci/7301/x/report.html", GitHubToken("acme/models", "refs/heads/main", runId: "7301/x"));
        Assert.Contains("claim 'run_id' cannot be put in 'ci/${run_id}/'", (await ReadProblemAsync(slash, HttpStatusCode.Forbidden)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Tokens_that_are_not_valid_get_401_with_the_reason()
    {
        var issuer = server.Issuer;
        string valid = server.RoleToken("reader");
        string[] parts = valid.Split('.');

        // The token itself is good, and is now verified and kept: none of its changed copies below may pass as it.
        using (var good = await server.SendAsync("GET", $"{Storage}/uploads/a.txt", valid))
        {
            await ReadJsonAsync(good, HttpStatusCode.OK);
        }

        string tampered = $"{parts[0]}.{Base64Url(Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Decode(parts[1])).Replace("\"reader\"", "\"uploader\"")))}.{parts[2]}";
        using var stranger = RSA.Create(2048);
        await using var otherIssuer = await OidcIssuer.StartAsync();
        var otherPayload = otherIssuer.Claims("intruder", TimeSpan.FromMinutes(5), TrustedIssuerServer.Audience);
        otherPayload["role"] = "uploader";

        var cases = new (string Name, string Token, string Reason)[]
        {
            ("another issuer", otherIssuer.Sign(otherPayload), $"the token is a JWT from '{otherIssuer.Url}', which is not a trusted issuer"),
            ("alg none", issuer.Sign(Payload("uploader"), algorithm: "none"), "the token is not signed (alg: none is refused)"),
            ("wrong audience", issuer.Sign(WithRole(issuer.Claims("u", TimeSpan.FromMinutes(5), "someone-else"), "uploader")), $"the token is not for an audience Sluice accepts from {issuer.Url}"),
            ("expired", issuer.Sign(Payload("uploader", exp: -600, nbf: -900)), "the token has expired"),
            ("not yet valid", issuer.Sign(Payload("uploader", exp: 900, nbf: 600)), "the token is not valid yet"),
            ("tampered payload", tampered, $"the token's signature does not verify with the keys of {issuer.Url}"),
            ("signed by another key", issuer.Sign(Payload("uploader"), signer: stranger), $"the token's signature does not verify with the keys of {issuer.Url}"),
            ("no expiry", issuer.Sign(Without(Payload("uploader"), "exp")), "the token has no expiry"),
        };
        foreach (var (name, token, reason) in cases)
        {
            using var response = await server.SendAsync("GET", $"{Storage}/uploads/a.txt", token);
            var problem = await ReadProblemAsync(response, HttpStatusCode.Unauthorized);
            Assert.True(problem.GetProperty("detail").GetString()!.StartsWith(reason, StringComparison.Ordinal), $"{name}: {problem.GetProperty("detail").GetString()}");
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        }

        // And it is still good: the refusals above are the changes, not the fixture.
        using var again = await server.SendAsync("GET", $"{Storage}/uploads/a.txt", valid);
        await ReadJsonAsync(again, HttpStatusCode.OK);
        Assert.DoesNotContain(valid, server.Host.LogText);
        Assert.DoesNotContain(parts[2], server.Host.LogText);
    }

    [Fact]
    public async Task A_verified_token_kept_for_its_next_requests_is_refused_once_it_expires()
    {
        string token = server.Token("short-lived", new Dictionary<string, object> { ["role"] = "reader" }, TimeSpan.FromSeconds(2));
        for (int i = 0; i < 3; i++)
        {
            using var fresh = await server.SendAsync("GET", $"{Storage}/uploads/a.txt", token);
            await ReadJsonAsync(fresh, HttpStatusCode.OK);
        }

        await Task.Delay(TimeSpan.FromSeconds(3.5)); // past exp and the one second of clock skew the fixture allows
        using var expired = await server.SendAsync("GET", $"{Storage}/uploads/a.txt", token);
        Assert.Equal("the token has expired", (await ReadProblemAsync(expired, HttpStatusCode.Unauthorized)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_rotated_signing_key_is_fetched_without_a_restart_and_the_old_one_stops_working()
    {
        using (var before = await server.SendAsync("GET", $"{Storage}/uploads/a.txt", server.RoleToken("reader")))
        {
            await ReadJsonAsync(before, HttpStatusCode.OK);
        }

        using RSA retired = ExportedCopy(server.Issuer.SigningKey);
        server.Issuer.RotateKey();
        int fetches = server.Issuer.KeyRequests;
        await Task.Delay(TimeSpan.FromSeconds(1.2)); // key-refresh-seconds: 1 between two fetches of the keys

        using (var after = await server.SendAsync("GET", $"{Storage}/uploads/a.txt", server.RoleToken("reader")))
        {
            await ReadJsonAsync(after, HttpStatusCode.OK);
        }

        Assert.True(server.Issuer.KeyRequests > fetches, "the new kid made Sluice fetch the keys again");

        // A token signed with the retired key (and naming the new kid, as a forger would) no longer verifies.
        using var old = await server.SendAsync("GET", $"{Storage}/uploads/a.txt", server.Issuer.Sign(Payload("reader"), signer: retired));
        await ReadProblemAsync(old, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Identities_are_recorded_in_the_audit_trail_as_issuer_and_subject()
    {
        string token = KubernetesToken("ml-audit", "trainer");
        using var response = await server.SendAsync("GET", $"{Storage}/ns/ml-audit/x.bin", token);
        await ReadJsonAsync(response, HttpStatusCode.OK);
        var record = await AuditTrail.OfAsync(server.Host.Client, response);
        Assert.Equal(("jwt", server.Issuer.Url, "system:serviceaccount:ml-audit:trainer"), (record.Text("identityKind"), record.Text("identity"), record.Text("identityName")));
        Assert.Equal(("presign", "allowed", "ns/ml-audit/x.bin"), (record.Text("action"), record.Text("outcome"), record.Text("key")));

        using var refused = await server.SendAsync("GET", $"{Storage}/ns/default/x.bin", KubernetesToken("default", "trainer"));
        var refusal = await AuditTrail.OfAsync(server.Host.Client, refused);
        Assert.Equal(("refused", 403), (refusal.Text("outcome"), refusal.GetProperty("status").GetInt32()));
        Assert.Contains("no rule for tokens of", refusal.Text("reason"));
        Assert.DoesNotContain(token, (await AuditTrail.ExportAsync(server.Host.Client)).Select(r => r.GetRawText()));
    }

    [Fact]
    public async Task An_identity_may_not_administer()
    {
        using var accounts = await server.SendAsync("GET", "/AwsAccount", server.RoleToken("uploader"));
        Assert.Contains("admin scope", (await ReadProblemAsync(accounts, HttpStatusCode.Forbidden)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task While_the_issuer_is_down_a_token_with_an_unknown_key_gets_503_and_it_recovers_without_a_restart()
    {
        server.Issuer.RotateKey();
        server.Issuer.Unavailable = true;
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(1.2));
            using var down = await server.SendAsync("GET", $"{Storage}/uploads/a.txt", server.RoleToken("reader"));
            await ReadProblemAsync(down, HttpStatusCode.ServiceUnavailable);
            Assert.Equal(TimeSpan.FromSeconds(5), down.Headers.RetryAfter?.Delta);

            // Still ready (a token or a known JWT is served), but degraded, naming the issuer.
            using var ready = await server.Anonymous.GetAsync("/readyz");
            Assert.Equal((HttpStatusCode.OK, "Degraded"), (ready.StatusCode, await ready.Content.ReadAsStringAsync()));
        }
        finally
        {
            server.Issuer.Unavailable = false;
        }

        // Recovery: within a few refresh intervals the keys are fetched again.
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        HttpStatusCode status;
        do
        {
            await Task.Delay(TimeSpan.FromSeconds(1.2));
            using var up = await server.SendAsync("GET", $"{Storage}/uploads/a.txt", server.RoleToken("reader"));
            status = up.StatusCode;
        }
        while (status != HttpStatusCode.OK && DateTime.UtcNow < deadline);
        Assert.Equal(HttpStatusCode.OK, status);
        using var recovered = await server.Anonymous.GetAsync("/readyz");
        Assert.Equal("Healthy", await recovered.Content.ReadAsStringAsync());
    }

    private string KubernetesToken(string ns, string serviceAccount)
    {
        // The claim layout of a projected service-account token (kubelet, TokenRequest API, Kubernetes 1.30).
        var payload = server.Issuer.Claims($"system:serviceaccount:{ns}:{serviceAccount}", TimeSpan.FromMinutes(10));
        payload["aud"] = new[] { TrustedIssuerServer.Audience, "https://kubernetes.default.svc" };
        payload["jti"] = Guid.NewGuid().ToString();
        payload["kubernetes.io"] = new Dictionary<string, object>
        {
            ["namespace"] = ns,
            ["node"] = new Dictionary<string, object> { ["name"] = "worker-3", ["uid"] = Guid.NewGuid().ToString() },
            ["pod"] = new Dictionary<string, object> { ["name"] = $"{serviceAccount}-7d9f8", ["uid"] = Guid.NewGuid().ToString() },
            ["serviceaccount"] = new Dictionary<string, object> { ["name"] = serviceAccount, ["uid"] = Guid.NewGuid().ToString() },
        };
        return server.Issuer.Sign(payload);
    }

    private string GitHubToken(string repository, string gitRef, string runId)
    {
        // The claims GitHub Actions puts in its OIDC token (the ones rules use, and a few beside them).
        var payload = server.Issuer.Claims($"repo:{repository}:ref:{gitRef}", TimeSpan.FromMinutes(5), TrustedIssuerServer.Audience);
        payload["repository"] = repository;
        payload["repository_owner"] = repository.Split('/')[0];
        payload["ref"] = gitRef;
        payload["ref_type"] = gitRef.StartsWith("refs/tags/", StringComparison.Ordinal) ? "tag" : "branch";
        payload["run_id"] = runId;
        payload["run_attempt"] = "1";
        payload["workflow"] = "train";
        payload["event_name"] = "push";
        return server.Issuer.Sign(payload);
    }

    private Dictionary<string, object> Payload(string role, long exp = 300, long nbf = -5)
    {
        var payload = WithRole(server.Issuer.Claims("user-" + role, TimeSpan.FromSeconds(300), TrustedIssuerServer.Audience), role);
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        payload["exp"] = now + exp;
        payload["nbf"] = now + nbf;
        return payload;
    }

    private static Dictionary<string, object> WithRole(Dictionary<string, object> payload, string role)
    {
        payload["role"] = role;
        return payload;
    }

    private static Dictionary<string, object> Without(Dictionary<string, object> payload, string claim)
    {
        payload.Remove(claim);
        return payload;
    }

    private static RSA ExportedCopy(RSA key)
    {
        var copy = RSA.Create();
        copy.ImportParameters(key.ExportParameters(includePrivateParameters: true));
        return copy;
    }

    private static byte[] Decode(string part) => Convert.FromBase64String(part.Replace('-', '+').Replace('_', '/').PadRight(part.Length + (4 - part.Length % 4) % 4, '='));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

[CollectionDefinition(nameof(TrustedIssuerCollection))]
public sealed class TrustedIssuerCollection : ICollectionFixture<TrustedIssuerServer>;
