using System.Globalization;
using Sluice.Core.Configuration;
using Sluice.Core.Providers;
using Sluice.Core.Signing;
using YamlDotNet.Core;

namespace Sluice.Core.Identities;

/// <summary>
/// Reads the identities file (<c>SLUICE_IDENTITIES</c>): the OpenID Connect issuers whose tokens
/// Sluice accepts, and for each the ordered rules that turn a token's claims into a scope.
/// <code>
/// issuers:
///   - issuer: https://token.actions.githubusercontent.com
///     audiences: [sluice]
///     clock-skew-seconds: 60          # optional (default 60)
///     key-refresh-seconds: 60         # optional: shortest time between two fetches of the keys
///     discovery-url: https://...      # optional (default: the issuer's /.well-known/openid-configuration)
///     rules:
///       - name: models-main
///         claims:                     # every one must match; a list is "any of"; * is a wildcard
///           repository: acme/models
///           ref: refs/heads/*
///         scope:                      # the fields a token's scope has; ${claim} is filled in
///           accounts: [ml]
///           buckets: [models]
///           prefixes: ["ci/${run_id}/"]
///           methods: [GET, PUT]
///           max-expiration: 900
///           max-upload-bytes: 1073741824
/// </code>
/// Every problem is reported, each as "FILE line N: what is expected".
/// </summary>
public static class IdentitiesConfigReader
{
    private static readonly string[] IssuerKeys = ["issuer", "audiences", "clock-skew-seconds", "key-refresh-seconds", "discovery-url", "rules"];
    private static readonly string[] RuleKeys = ["name", "claims", "scope"];
    private static readonly string[] ScopeKeys = ["accounts", "buckets", "prefixes", "methods", "max-expiration", "max-upload-bytes"];

    /// <exception cref="ConfigFileException">The file cannot be read or is not a valid configuration.</exception>
    public static IReadOnlyList<TrustedIssuer> Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigFileException([new ConfigError(path, 0, $"cannot be read ({e.Message})")]);
        }

        return Parse(text, path);
    }

    /// <exception cref="ConfigFileException">Not a valid configuration; every problem is listed.</exception>
    public static IReadOnlyList<TrustedIssuer> Parse(string text, string fileName)
    {
        YamlNode? root;
        try
        {
            root = YamlTree.Load(text);
        }
        catch (YamlException e)
        {
            throw new ConfigFileException([new ConfigError(fileName, YamlTree.Line(e.Start), $"is not valid YAML: {YamlTree.Describe(e)}")]);
        }

        var errors = new List<ConfigError>();
        void Error(int line, string message) => errors.Add(new ConfigError(fileName, line, message));

        var issuers = new List<TrustedIssuer>();
        if (root is not YamlMap map || map.Entries.Count != 1 || map.Entries[0].Key.Value != "issuers")
        {
            Error(root?.Line ?? 1, "expected a mapping with one key, issuers: (a list of trusted OpenID Connect issuers)");
        }
        else if (map.Entries[0].Value is not YamlList list)
        {
            Error(map.Entries[0].Value.Line, "issuers must be a list (- issuer: https://..., audiences: [...], rules: [...])");
        }
        else
        {
            for (int i = 0; i < list.Items.Count; i++)
            {
                if (list.Items[i] is YamlMap entry)
                {
                    if (ReadIssuer(entry, $"issuers[{i}]", Error) is { } issuer)
                    {
                        issuers.Add(issuer);
                    }
                }
                else
                {
                    Error(list.Items[i].Line, $"issuers[{i}] must be a mapping with issuer, audiences and rules");
                }
            }

            var seen = new Dictionary<string, TrustedIssuer>(StringComparer.Ordinal);
            foreach (TrustedIssuer issuer in issuers)
            {
                if (!seen.TryAdd(issuer.Issuer, issuer))
                {
                    Error(issuer.Line, $"the issuer {issuer.Issuer} is already given on line {seen[issuer.Issuer].Line}; put all its rules under one entry");
                }
            }
        }

        if (errors.Count > 0)
        {
            errors.Sort((a, b) => a.Line.CompareTo(b.Line));
            throw new ConfigFileException(errors);
        }

        return issuers;
    }

    private static TrustedIssuer? ReadIssuer(YamlMap map, string path, Action<int, string> error)
    {
        int errors = 0;
        void Error(int line, string message)
        {
            errors++;
            error(line, message);
        }

        string? issuer = null;
        Uri? discovery = null;
        List<string> audiences = [];
        TimeSpan skew = TrustedIssuer.DefaultClockSkew, refresh = TrustedIssuer.DefaultKeyRefreshInterval;
        var rules = new List<ClaimRule>();
        foreach (var (key, value) in map.Entries)
        {
            switch (key.Value)
            {
                case "issuer":
                    issuer = YamlTree.Text(value, $"{path}.issuer", "the issuer's URL, as its tokens' iss claim writes it", Error);
                    if (issuer is not null && UrlProblem(issuer) is { } issuerProblem)
                    {
                        Error(value.Line, $"{path}.issuer {issuerProblem}");
                    }

                    break;

                case "audiences":
                    audiences = Strings(value, $"{path}.audiences", "the audiences (aud) a token must be for", Error);
                    break;

                case "clock-skew-seconds":
                    skew = TimeSpan.FromSeconds(Number(value, $"{path}.clock-skew-seconds", 0, 300, Error) ?? 0);
                    break;

                case "key-refresh-seconds":
                    refresh = TimeSpan.FromSeconds(Number(value, $"{path}.key-refresh-seconds", 1, 86_400, Error) ?? 1);
                    break;

                case "discovery-url":
                    if (YamlTree.Text(value, $"{path}.discovery-url", "the URL of the issuer's OpenID configuration", Error) is { } url)
                    {
                        if (UrlProblem(url) is { } urlProblem)
                        {
                            Error(value.Line, $"{path}.discovery-url {urlProblem}");
                        }
                        else
                        {
                            discovery = new Uri(url);
                        }
                    }

                    break;

                case "rules":
                    if (value is not YamlList ruleList || ruleList.Items.Count == 0)
                    {
                        Error(value.Line, $"{path}.rules must be a list of at least one rule (- name: ..., claims: ..., scope: ...)");
                        break;
                    }

                    for (int i = 0; i < ruleList.Items.Count; i++)
                    {
                        if (ruleList.Items[i] is not YamlMap ruleMap)
                        {
                            Error(ruleList.Items[i].Line, $"{path}.rules[{i}] must be a mapping with name, claims and scope");
                        }
                        else if (ReadRule(ruleMap, $"{path}.rules[{i}]", Error) is { } rule)
                        {
                            if (rules.FirstOrDefault(r => r.Name == rule.Name) is { } same)
                            {
                                Error(rule.Line, $"{path}.rules[{i}].name '{rule.Name}' is already used on line {same.Line}; names must be unique");
                            }

                            rules.Add(rule);
                        }
                    }

                    break;

                default:
                    Error(key.Line, $"{path}.{key.Value} is not a known key (expected {string.Join(", ", IssuerKeys)})");
                    break;
            }
        }

        foreach (string required in (string[])["issuer", "audiences", "rules"])
        {
            if (!map.Entries.Any(e => e.Key.Value == required))
            {
                Error(map.Line, $"{path}.{required} is missing");
            }
        }

        if (errors > 0 || issuer is null)
        {
            return null;
        }

        discovery ??= new Uri(issuer.TrimEnd('/') + "/.well-known/openid-configuration");
        return new TrustedIssuer(issuer, audiences, skew, refresh, discovery, rules, map.Line);
    }

    private static ClaimRule? ReadRule(YamlMap map, string path, Action<int, string> error)
    {
        int errors = 0;
        void Error(int line, string message)
        {
            errors++;
            error(line, message);
        }

        string? name = null;
        var conditions = new List<ClaimCondition>();
        ScopeTemplate? scope = null;
        foreach (var (key, value) in map.Entries)
        {
            switch (key.Value)
            {
                case "name":
                    name = YamlTree.Text(value, $"{path}.name", "a name for the rule, shown in refusals and the audit", Error);
                    if (name is not null && (name.Length > 100 || name.Any(char.IsControl)))
                    {
                        Error(value.Line, $"{path}.name must be 1 to 100 printable characters");
                    }

                    break;

                case "claims":
                    if (value is YamlText { IsNull: true })
                    {
                        break;
                    }

                    if (value is not YamlMap claims)
                    {
                        Error(value.Line, $"{path}.claims must be a mapping of claim: value (or a list of values)");
                        break;
                    }

                    foreach (var (claim, wanted) in claims.Entries)
                    {
                        if (ClaimPath.Problem(claim.Value) is { } claimProblem)
                        {
                            Error(claim.Line, $"{path}.claims: the claim name '{claim.Value}' {claimProblem}");
                            continue;
                        }

                        var patterns = Strings(wanted, $"{path}.claims.{claim.Value}", "a value, or a list of values, with * as a wildcard", Error);
                        if (patterns.Count > 0)
                        {
                            conditions.Add(new ClaimCondition(new ClaimPath(claim.Value), patterns));
                        }
                    }

                    break;

                case "scope":
                    scope = value is YamlMap scopeMap ? ReadScope(scopeMap, $"{path}.scope", Error) : null;
                    if (value is not YamlMap)
                    {
                        Error(value.Line, $"{path}.scope must be a mapping with {string.Join(", ", ScopeKeys)}");
                    }

                    break;

                default:
                    Error(key.Line, $"{path}.{key.Value} is not a known key (expected {string.Join(", ", RuleKeys)})");
                    break;
            }
        }

        if (!map.Entries.Any(e => e.Key.Value == "name"))
        {
            Error(map.Line, $"{path}.name is missing");
        }

        if (!map.Entries.Any(e => e.Key.Value == "scope"))
        {
            Error(map.Line, $"{path}.scope is missing (the scope this rule grants: {string.Join(", ", ScopeKeys)})");
        }

        return errors > 0 || name is null || scope is null ? null : new ClaimRule(name, conditions, scope, map.Line);
    }

    private static ScopeTemplate? ReadScope(YamlMap map, string path, Action<int, string> error)
    {
        int errors = 0;
        void Error(int line, string message)
        {
            errors++;
            error(line, message);
        }

        List<ClaimTemplate> accounts = [], buckets = [], prefixes = [];
        List<ObjectMethod> methods = [];
        int? maxExpiration = null;
        long? maxUploadBytes = null;
        foreach (var (key, value) in map.Entries)
        {
            switch (key.Value)
            {
                case "accounts":
                    accounts = Templates(value, $"{path}.accounts", Accounts.AccountId.Problem, Error);
                    break;

                case "buckets":
                    buckets = Templates(value, $"{path}.buckets", Addressing.BucketName.Problem, Error);
                    break;

                case "prefixes":
                    prefixes = Templates(value, $"{path}.prefixes", Addressing.ObjectKey.Problem, Error);
                    break;

                case "methods":
                    foreach (string method in Strings(value, $"{path}.methods", "GET, PUT or DELETE", Error))
                    {
                        if (!ObjectMethodNames.TryParse(method, out ObjectMethod parsed))
                        {
                            Error(value.Line, $"{path}.methods: '{method}' must be GET, PUT or DELETE");
                        }
                        else if (!methods.Contains(parsed))
                        {
                            methods.Add(parsed);
                        }
                    }

                    break;

                case "max-expiration":
                    maxExpiration = (int?)Number(value, $"{path}.max-expiration", 1, PresignRequest.MaxExpiresInSeconds, Error);
                    break;

                case "max-upload-bytes":
                    maxUploadBytes = Number(value, $"{path}.max-upload-bytes", 1, long.MaxValue, Error);
                    break;

                case "admin":
                    Error(key.Line, $"{path}.admin: an identity from a token issuer is never admin; manage accounts and tokens with a Sluice admin token");
                    break;

                default:
                    Error(key.Line, $"{path}.{key.Value} is not a known key (expected {string.Join(", ", ScopeKeys)})");
                    break;
            }
        }

        return errors > 0 ? null : new ScopeTemplate(accounts, buckets, prefixes, methods, maxExpiration, maxUploadBytes);
    }

    /// <summary>A list of values, or one value standing for a list of one.</summary>
    private static List<string> Strings(YamlNode value, string path, string expected, Action<int, string> error)
    {
        IReadOnlyList<YamlNode> items = value is YamlList list ? list.Items : [value];
        var strings = new List<string>(items.Count);
        foreach (YamlNode item in items)
        {
            if (YamlTree.Text(item, path, expected, error) is { } text)
            {
                strings.Add(text);
            }
        }

        if (value is YamlList { Items.Count: 0 })
        {
            error(value.Line, $"{path} is an empty list (expected {expected})");
        }

        return strings;
    }

    private static List<ClaimTemplate> Templates(YamlNode value, string path, Func<string, string?> problem, Action<int, string> error)
    {
        var templates = new List<ClaimTemplate>();
        foreach (string text in Strings(value, path, "a value, where ${claim} stands for a claim of the token", error))
        {
            if (ClaimTemplate.Parse(text, out string? templateProblem) is not { } template)
            {
                error(value.Line, $"{path}: {templateProblem}");
            }
            else if (problem(template.Sample("x")) is { } wrong)
            {
                error(value.Line, $"{path}: '{text}' {wrong}");
            }
            else
            {
                templates.Add(template);
            }
        }

        return templates;
    }

    private static long? Number(YamlNode value, string path, long min, long max, Action<int, string> error)
    {
        if (YamlTree.Text(value, path, $"a whole number from {min} to {max}", error) is not { } text)
        {
            return null;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long number) && number >= min && number <= max)
        {
            return number;
        }

        error(value.Line, $"{path} must be a whole number from {min} to {max} (got '{text}')");
        return null;
    }

    /// <summary>https, or http on a loopback address (a local issuer, as tests and development run one); never a query or fragment.</summary>
    private static string? UrlProblem(string url) =>
        !Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("https" or "http") ? $"must be an https:// URL (got '{url}')"
        : uri.Scheme == "http" && !uri.IsLoopback ? $"must be https:// ('{url}' is http on a host that is not loopback: its keys could be replaced on the way)"
        : uri.Query.Length > 0 || uri.Fragment.Length > 0 ? $"may not have a query or fragment (got '{url}')"
        : null;
}
