using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CsCheck;
using Sluice.Core.Access;
using Sluice.Core.Identities;

namespace Sluice.Tests.Identities;

public sealed class ClaimRulesTests
{
    /// <summary>A projected service-account token's payload, as the kubelet writes it.</summary>
    private const string KubernetesPayload = """
        {
          "aud": ["sluice"],
          "exp": 1767225600, "iat": 1767222000, "nbf": 1767222000,
          "iss": "https://kubernetes.default.svc.cluster.local",
          "jti": "b5c5a9c3-0f3e-4a53-9d2c-5d4f7c0e1a11",
          "kubernetes.io": {
            "namespace": "ml-vision",
            "node": {"name": "worker-3", "uid": "2d6c5d0e-3a0e-4a3c-8b8e-7e1c4a1f0b9d"},
            "pod": {"name": "trainer-7d9f8", "uid": "6a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"},
            "serviceaccount": {"name": "trainer", "uid": "9f8e7d6c-5b4a-3c2d-1e0f-a9b8c7d6e5f4"}
          },
          "sub": "system:serviceaccount:ml-vision:trainer",
          "https://example.com/groups": ["ml", "admins"],
          "run": 7301
        }
        """;

    private static readonly ClaimSet Kubernetes = ClaimSet.Parse(Encoding.UTF8.GetBytes(KubernetesPayload));

    [Theory]
    [InlineData("kubernetes.io.namespace", "ml-vision")]
    [InlineData("kubernetes.io.serviceaccount.name", "trainer")]
    [InlineData("sub", "system:serviceaccount:ml-vision:trainer")]
    [InlineData("run", "7301")]
    [InlineData("https://example.com/groups", "ml,admins")]
    [InlineData("aud", "sluice")]
    [InlineData("kubernetes.io", "")]
    [InlineData("kubernetes", "")]
    [InlineData("kubernetes.io.namespace.extra", "")]
    public void Claim_paths_are_resolved_greedily_through_dotted_names(string path, string values)
    {
        Assert.Equal(values, string.Join(',', Kubernetes.Values(new ClaimPath(path))));
    }

    [Fact]
    public void The_first_rule_whose_claims_match_grants_its_scope_with_claims_filled_in()
    {
        var issuer = Issuer(
            """
            - name: builders
              claims: {kubernetes.io.serviceaccount.name: builder}
              scope: {prefixes: ["builds/"]}
            - name: trainers
              claims: {kubernetes.io.namespace: "ml-*", "https://example.com/groups": ml}
              scope: {accounts: [ml], buckets: ["team-${kubernetes.io.namespace}"], prefixes: ["ns/${kubernetes.io.namespace}/${kubernetes.io.serviceaccount.name}/"], methods: [GET], max-expiration: 600}
            - name: everyone
              scope: {prefixes: ["public/"]}
            """);

        IdentityGrant grant = issuer.Grant(Kubernetes);

        Assert.Equal("trainers", grant.Rule);
        TokenScope scope = grant.Scope!;
        Assert.False(scope.Admin);
        Assert.Equal(["ml"], scope.Accounts);
        Assert.Equal(["team-ml-vision"], scope.Buckets);
        Assert.Equal(["ns/ml-vision/trainer/"], scope.Prefixes);
        Assert.Equal(600, scope.MaxExpirationSeconds);
    }

    [Fact]
    public void A_token_no_rule_grants_is_told_why_for_each_rule()
    {
        var issuer = Issuer(
            """
            - name: builders
              claims: {kubernetes.io.serviceaccount.name: [builder, packager]}
              scope: {prefixes: ["builds/"]}
            - name: by-team
              scope: {prefixes: ["teams/${team}/"]}
            - name: by-group
              scope: {prefixes: ["groups/${https://example.com/groups}/"]}
            - name: by-node
              scope: {prefixes: ["nodes/${kubernetes.io.node}/"]}
            """);

        IdentityGrant grant = issuer.Grant(Kubernetes);

        Assert.Null(grant.Scope);
        Assert.Equal(
            "no rule for tokens of https://issuer.example matches this one ("
            + "rule 'builders': claim 'kubernetes.io.serviceaccount.name' is 'trainer', not 'builder' or 'packager'; "
            + "rule 'by-team': claim 'team' is missing, and 'teams/${team}/' needs it; "
            + "rule 'by-group': claim 'https://example.com/groups' is not a single value, so it cannot be put in 'groups/${https://example.com/groups}/'; "
            + "rule 'by-node': claim 'kubernetes.io.node' is not a single value, so it cannot be put in 'nodes/${kubernetes.io.node}/')",
            grant.Refusal);
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("")]
    [InlineData("a b")]
    [InlineData("a%2Fb")]
    [InlineData("ü")]
    public void A_claim_value_that_could_escape_or_blur_a_prefix_is_not_filled_in(string value)
    {
        ClaimTemplate template = ClaimTemplate.Parse("runs/${sub}/", out _)!;
        Assert.Null(template.Fill(Claims(new { sub = value }), out string? why));
        Assert.Contains("claim 'sub'", why);
    }

    [Fact]
    public void Filled_prefixes_of_different_identities_never_contain_each_other()
    {
        // Whatever the subjects, a filled prefix either is refused or has the template's shape: one
        // segment per claim, so one identity's prefix is never inside another's.
        ClaimTemplate template = ClaimTemplate.Parse("runs/${sub}/", out _)!;
        Gen.String[Gen.Char[' ', '\u00ff'], 0, 12].Select(Gen.String[Gen.Char['-', 'z'], 0, 12]).Sample((a, b) =>
        {
            string? first = template.Fill(Claims(new { sub = a }), out _);
            string? second = template.Fill(Claims(new { sub = b }), out _);
            if (first is null || second is null || a == b)
            {
                return true;
            }

            return first.Count(c => c == '/') == 2 && !second.StartsWith(first, StringComparison.Ordinal) && !first.StartsWith(second, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Glob_agrees_with_a_regular_expression_on_generated_patterns()
    {
        var alphabet = Gen.Char['a', 'c'];
        var pattern = Gen.OneOf(alphabet.Select(c => c.ToString()), Gen.Const("*")).Array[0, 6].Select(parts => string.Concat(parts));
        pattern.Select(Gen.String[alphabet, 0, 8]).Sample((p, value) =>
        {
            bool expected = Regex.IsMatch(value, "^" + string.Concat(p.Select(c => c == '*' ? ".*" : Regex.Escape(c.ToString()))) + "$", RegexOptions.Singleline);
            return Glob.Matches(p, value) == expected;
        });
    }

    private static TrustedIssuer Issuer(string rules)
    {
        string indented = string.Join('\n', rules.Split('\n').Select(line => "      " + line));
        return IdentitiesConfigReader.Parse($"issuers:\n  - issuer: https://issuer.example\n    audiences: [sluice]\n    rules:\n{indented}\n", "test.yaml")[0];
    }

    private static ClaimSet Claims(object payload) => ClaimSet.Parse(JsonSerializer.SerializeToUtf8Bytes(payload));
}
