using System.Net;
using Sluice.IntegrationTests.Http;
using static Sluice.IntegrationTests.Http.HttpTestSupport;

namespace Sluice.IntegrationTests.Identities;

/// <summary>
/// The authorization matrix for JWT identities: every endpoint × (a token no rule grants, a rule's
/// scope used as granted, and outside it by account, bucket, prefix, method and expiration), through
/// real HTTP. The scope is that of <see cref="TrustedIssuerServer"/>'s <c>role</c> rules: account
/// <c>matrix</c>, bucket <c>allowed-bucket</c>, prefix <c>uploads/</c>, 3600 s.
/// </summary>
[Collection(nameof(TrustedIssuerCollection))]
public sealed class JwtAuthorizationMatrixTests(TrustedIssuerServer server)
{
    public enum Case
    {
        NoRule,
        InScope,
        OtherAccount,
        OtherBucket,
        OtherPrefix,
        OtherMethod,
        LongerExpiration,
    }

    /// <summary>The token-matrix endpoints, and the other operations on the same paths and the audit.</summary>
    public static IEnumerable<(string Method, string Path, string? Body)> Endpoints =>
        AuthorizationMatrixTests.Endpoints.Select(row => ((string)row[0], (string)row[1], (string?)row[2]))
            .Concat(
            [
                ("POST", $"/aws/storage/{TrustedIssuerServer.Account}/{TrustedIssuerServer.Bucket}?batch", "method: GET\nkeys:\n  - uploads/a.txt\n  - uploads/b.txt\n"),
                ("POST", $"/aws/storage/{TrustedIssuerServer.Account}/{TrustedIssuerServer.Bucket}?form", "filename: uploads/a.txt\n"),
                ("GET", "/audit", null),
                ("GET", "/audit/export", null),
            ]);

    public static TheoryData<string, string, string?, Case> Matrix()
    {
        var data = new TheoryData<string, string, string?, Case>();
        foreach (var (method, path, body) in Endpoints)
        {
            foreach (Case c in Enum.GetValues<Case>())
            {
                data.Add(method, path, body, c);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Every_endpoint_answers_a_jwt_identity_by_its_rule(string method, string path, string? body, Case c)
    {
        bool signs = path.StartsWith("/aws/storage/", StringComparison.Ordinal);
        string signedMethod = method == "POST" && !path.Contains("?batch", StringComparison.Ordinal) ? "PUT" : method;
        if (path.Contains("?batch", StringComparison.Ordinal))
        {
            signedMethod = "GET";
        }

        // The role whose rule has every right but the one this case takes away.
        string role = c switch
        {
            Case.NoRule => "visitor",
            Case.OtherMethod => signedMethod == "GET" ? "writer" : "reader",
            _ => "uploader",
        };
        (path, body) = c switch
        {
            Case.OtherAccount => (path.Replace($"/{TrustedIssuerServer.Account}/", "/other/"), body),
            Case.OtherBucket => (path.Replace($"/{TrustedIssuerServer.Bucket}", "/another-bucket"), body),
            Case.OtherPrefix => (path.Replace("uploads/", "downloads/"), body?.Replace("uploads/", "downloads/")),
            Case.LongerExpiration when signs => (path + (path.Contains('?') ? "&" : "?") + "expiration=3601", body),
            _ => (path, body),
        };

        using var response = await server.SendAsync(method, path, server.RoleToken(role), body);
        if (c == Case.NoRule)
        {
            var problem = await ReadProblemAsync(response, HttpStatusCode.Forbidden);
            Assert.Contains("rule 'uploader': claim 'role' is 'visitor', not 'uploader'", problem.GetProperty("detail").GetString());
            return;
        }

        if (!signs)
        {
            var problem = await ReadProblemAsync(response, HttpStatusCode.Forbidden);
            Assert.Contains("admin scope", problem.GetProperty("detail").GetString());
            return;
        }

        if (c == Case.InScope)
        {
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            return;
        }

        string expected = c switch
        {
            Case.OtherAccount => "may not sign for account 'other'",
            Case.OtherBucket => "may not sign for bucket 'another-bucket'",
            Case.OtherPrefix => "outside its prefixes",
            Case.OtherMethod => $"may not sign {signedMethod} URLs",
            _ => "may not sign URLs valid longer than 3600 seconds",
        };
        var refusal = await ReadProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Contains(expected, refusal.GetProperty("detail").GetString());
    }
}
