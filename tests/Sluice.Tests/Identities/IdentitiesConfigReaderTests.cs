using Sluice.Core.Configuration;
using Sluice.Core.Identities;
using Sluice.Core.Providers;

namespace Sluice.Tests.Identities;

public sealed class IdentitiesConfigReaderTests
{
    private const string GitHubAndKubernetes = """
        issuers:
          - issuer: https://token.actions.githubusercontent.com
            audiences: sluice
            rules:
              - name: models-main
                claims:
                  repository: acme/models
                  ref: [refs/heads/main, refs/tags/v*]
                scope:
                  accounts: [ml]
                  buckets: [models]
                  prefixes: ["ci/${run_id}/"]
                  methods: [GET, put]
                  max-expiration: 900
                  max-upload-bytes: 1073741824
          - issuer: https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE
            audiences: [sluice, https://kubernetes.default.svc]
            clock-skew-seconds: 30
            key-refresh-seconds: 300
            discovery-url: https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE/.well-known/openid-configuration
            rules:
              - name: any-namespace
                scope:
                  prefixes: ["ns/${kubernetes.io.namespace}/"]
        """;

    [Fact]
    public void Reads_issuers_rules_and_scopes()
    {
        var issuers = IdentitiesConfigReader.Parse(GitHubAndKubernetes, "identities.yaml");

        Assert.Equal(2, issuers.Count);
        TrustedIssuer github = issuers[0];
        Assert.Equal("https://token.actions.githubusercontent.com", github.Issuer);
        Assert.Equal(["sluice"], github.Audiences);
        Assert.Equal(TrustedIssuer.DefaultClockSkew, github.ClockSkew);
        Assert.Equal(TrustedIssuer.DefaultKeyRefreshInterval, github.KeyRefreshInterval);
        Assert.Equal("https://token.actions.githubusercontent.com/.well-known/openid-configuration", github.DiscoveryUrl.AbsoluteUri);
        ClaimRule rule = Assert.Single(github.Rules);
        Assert.Equal("models-main", rule.Name);
        Assert.Equal(["repository", "ref"], rule.Conditions.Select(c => c.Claim.Text));
        Assert.Equal(["refs/heads/main", "refs/tags/v*"], rule.Conditions[1].Patterns);
        Assert.Equal(["ci/${run_id}/"], rule.Scope.Prefixes.Select(p => p.Text));
        Assert.Equal([ObjectMethod.Get, ObjectMethod.Put], rule.Scope.Methods);
        Assert.Equal((900, 1073741824L), (rule.Scope.MaxExpirationSeconds, rule.Scope.MaxUploadBytes));

        TrustedIssuer eks = issuers[1];
        Assert.Equal(TimeSpan.FromSeconds(30), eks.ClockSkew);
        Assert.Equal(TimeSpan.FromSeconds(300), eks.KeyRefreshInterval);
        Assert.Empty(Assert.Single(eks.Rules).Conditions);
    }

    [Theory]
    [InlineData("issuers: []\nother: 1\n", 1, "expected a mapping with one key, issuers:")]
    [InlineData("issuers:\n  - audiences: [a]\n    rules: [{name: r, scope: {}}]\n", 2, "issuers[0].issuer is missing")]
    [InlineData("issuers:\n  - issuer: http://idp.example.com\n    audiences: [a]\n    rules: [{name: r, scope: {}}]\n", 2, "must be https://")]
    [InlineData("issuers:\n  - issuer: https://idp.example.com?x=1\n    audiences: [a]\n    rules: [{name: r, scope: {}}]\n", 2, "may not have a query")]
    [InlineData("issuers:\n  - issuer: https://idp.example.com\n    rules: [{name: r, scope: {}}]\n", 2, "issuers[0].audiences is missing")]
    [InlineData("issuers:\n  - issuer: https://idp.example.com\n    audiences: []\n    rules: [{name: r, scope: {}}]\n", 3, "issuers[0].audiences is an empty list")]
    [InlineData("issuers:\n  - issuer: https://idp.example.com\n    audiences: [a]\n    rules: []\n", 4, "must be a list of at least one rule")]
    [InlineData("issuers:\n  - issuer: https://idp.example.com\n    audiences: [a]\n    clock-skew-seconds: 301\n    rules: [{name: r, scope: {}}]\n", 4, "clock-skew-seconds must be a whole number from 0 to 300")]
    [InlineData("issuers:\n  - issuer: https://idp.example.com\n    audiences: [a]\n    colour: blue\n    rules: [{name: r, scope: {}}]\n", 4, "issuers[0].colour is not a known key")]
    [InlineData("issuers:\n  - issuer: https://idp.example.com\n    audiences: [a]\n    rules:\n      - name: r\n", 5, "issuers[0].rules[0].scope is missing")]
    [InlineData("issuers:\n  - issuer: https://idp.example.com\n    audiences: [a]\n    rules:\n      - name: r\n        scope: {admin: true}\n", 6, "is never admin")]
    [InlineData("issuers:\n  - issuer: https://idp.example.com\n    audiences: [a]\n    rules:\n      - name: r\n        scope: {methods: [POST]}\n", 6, "'POST' must be GET, PUT or DELETE")]
    [InlineData("issuers:\n  - issuer: https://idp.example.com\n    audiences: [a]\n    rules:\n      - name: r\n        scope: {prefixes: [\"runs/${sub/\"]}\n", 6, "opens '${' without closing it")]
    [InlineData("issuers:\n  - issuer: https://idp.example.com\n    audiences: [a]\n    rules:\n      - name: r\n        scope: {buckets: [\"${team}_Bucket\"]}\n", 6, "scope.buckets: '${team}_Bucket'")]
    [InlineData("issuers:\n  - issuer: https://idp.example.com\n    audiences: [a]\n    rules:\n      - name: r\n        scope: {max-expiration: 604801}\n", 6, "max-expiration must be a whole number from 1 to 604800")]
    [InlineData("issuers:\n  - issuer: https://idp.example.com\n    audiences: [a]\n    rules:\n      - name: r\n        claims: {\"a..b\": x}\n        scope: {}\n", 6, "has an empty name between dots")]
    [InlineData("issuers:\n  - issuer: https://idp.example.com\n    audiences: [a]\n    rules:\n      - {name: r, scope: {}}\n      - {name: r, scope: {}}\n", 6, "'r' is already used on line 5")]
    [InlineData("issuers:\n  - issuer: https://idp.example.com\n    audiences: [a]\n    rules: [{name: r, scope: {}}]\n  - issuer: https://idp.example.com\n    audiences: [b]\n    rules: [{name: r, scope: {}}]\n", 5, "is already given on line 2")]
    [InlineData("issuers: [\n", 2, "is not valid YAML")]
    public void Each_mistake_is_reported_with_its_line(string text, int line, string message)
    {
        var exception = Assert.Throws<ConfigFileException>(() => IdentitiesConfigReader.Parse(text, "identities.yaml"));
        Assert.Contains(exception.Errors, error => error.Line == line && error.Message.Contains(message, StringComparison.Ordinal));
        Assert.All(exception.Errors, error => Assert.Equal("identities.yaml", error.File));
    }

    [Fact]
    public void A_loopback_issuer_may_use_http()
    {
        var issuers = IdentitiesConfigReader.Parse("issuers:\n  - issuer: http://127.0.0.1:9000\n    audiences: [a]\n    rules: [{name: r, scope: {}}]\n", "f");
        Assert.Equal("http://127.0.0.1:9000/.well-known/openid-configuration", issuers[0].DiscoveryUrl.AbsoluteUri);
    }

    [Fact]
    public void A_missing_file_is_one_error_naming_it()
    {
        var exception = Assert.Throws<ConfigFileException>(() => IdentitiesConfigReader.Load("/nonexistent/identities.yaml"));
        Assert.StartsWith("/nonexistent/identities.yaml line 0: cannot be read", Assert.Single(exception.Errors).ToString());
    }
}
